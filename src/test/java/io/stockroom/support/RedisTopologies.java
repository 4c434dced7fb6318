package io.stockroom.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real Redis topologies on loopback, from Debian's {@code redis-server}, {@code redis-sentinel} and {@code redis-cli}:
 * a Redis Cluster of masters, or one master with a replica watched by sentinels. Each lives in a temporary directory
 * of its own and is killed (and the directory removed) by {@link Topology#close()}. Without the binaries a test is
 * skipped, unless {@code STOCKROOM_REQUIRE_E2E=1} (CI), where that is a failure.
 */
public final class RedisTopologies {
  private static final String SERVER = "/usr/bin/redis-server";
  private static final String SENTINEL = "/usr/bin/redis-sentinel";
  private static final String CLI = "/usr/bin/redis-cli";

  private RedisTopologies() {
  }

  /** Skips the calling test class (or fails it in CI) when the Redis binaries are not installed. */
  public static void requireBinaries() {
    boolean present = Stream.of(SERVER, SENTINEL, CLI).allMatch(b -> new File(b).canExecute());
    String missing = "redis-server, redis-sentinel and redis-cli are needed (apt-get install redis-server redis-sentinel)";
    if ("1".equals(System.getenv("STOCKROOM_REQUIRE_E2E"))) {
      assertTrue(present, missing);
    } else {
      assumeTrue(present, "skipped: " + missing);
    }
  }

  /** Processes in a directory of their own. */
  public abstract static class Topology implements AutoCloseable {
    final Path dir;
    final List<Process> processes = new ArrayList<>();

    Topology(String name) {
      try {
        dir = Files.createTempDirectory("stockroom-" + name + "-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** The value for {@code redis.uri}: every endpoint, comma-separated. */
    public abstract String uri();

    Process spawn(String name, String... command) {
      try {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(dir.resolve(name + ".log").toFile()).start();
        processes.add(process);
        return process;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** A redis-server on loopback that persists nothing. */
    Process server(int port, String... extra) {
      List<String> command = new ArrayList<>(List.of(SERVER, "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--dbfilename", "dump-" + port + ".rdb"));
      command.addAll(List.of(extra));
      return spawn("redis-" + port, command.toArray(String[]::new));
    }

    @Override
    public void close() {
      processes.forEach(Process::destroyForcibly);
      for (Process process : processes) {
        try {
          process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // a temp directory left behind is harmless
      }
    }
  }

  /** A Redis Cluster of {@code masters} masters without replicas, all slots covered. */
  public static final class Cluster extends Topology {
    public final List<Integer> ports = new ArrayList<>();

    private Cluster() {
      super("redis-cluster");
    }

    public static Cluster start(int masters) {
      Cluster cluster = new Cluster();
      try {
        for (int i = 0; i < masters; i++) {
          // the cluster bus listens on port + 10000
          int port = freePortPair();
          cluster.ports.add(port);
          cluster.server(port, "--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + port + ".conf",
            "--cluster-node-timeout", "2000");
        }
        cluster.ports.forEach(port -> await("redis-server on " + port, () -> ping(port)));
        List<String> create = new ArrayList<>(List.of(CLI, "--cluster", "create"));
        cluster.ports.forEach(port -> create.add("127.0.0.1:" + port));
        create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        run(create.toArray(String[]::new));
        cluster.ports.forEach(port -> await("cluster state ok on " + port,
          () -> cli(port, "CLUSTER", "INFO").contains("cluster_state:ok")));
        return cluster;
      } catch (RuntimeException | Error e) {
        cluster.close();
        throw e;
      }
    }

    @Override
    public String uri() {
      return ports.stream().map(port -> "redis://127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    /** The hash slot Redis computes for {@code key}. */
    public int slot(String key) {
      return Integer.parseInt(cli(ports.get(0), "CLUSTER", "KEYSLOT", key).trim());
    }
  }

  /** One master, one replica, and sentinels (quorum: a majority of them) for master set {@code masterName}. */
  public static final class Sentinels extends Topology {
    public final String masterName;
    public final List<Integer> dataPorts = new ArrayList<>();
    public final List<Integer> sentinelPorts = new ArrayList<>();

    private Sentinels(String masterName) {
      super("redis-sentinel");
      this.masterName = masterName;
    }

    public static Sentinels start(String masterName, int sentinels) {
      Sentinels setup = new Sentinels(masterName);
      try {
        int master = freePort();
        int replica = freePort();
        setup.dataPorts.addAll(List.of(master, replica));
        setup.server(master);
        setup.server(replica, "--replicaof", "127.0.0.1", Integer.toString(master));
        await("replica in sync", () -> cli(replica, "INFO", "replication").contains("master_link_status:up"));
        for (int i = 0; i < sentinels; i++) {
          int port = freePort();
          setup.sentinelPorts.add(port);
          Path conf = setup.dir.resolve("sentinel-" + port + ".conf");
          Files.writeString(conf, String.join("\n",
            "port " + port, "bind 127.0.0.1", "dir " + setup.dir,
            "sentinel monitor " + masterName + " 127.0.0.1 " + master + " " + (sentinels / 2 + 1),
            "sentinel down-after-milliseconds " + masterName + " 1000",
            "sentinel failover-timeout " + masterName + " 3000",
            "sentinel parallel-syncs " + masterName + " 1", ""), StandardCharsets.UTF_8);
          setup.spawn("sentinel-" + port, SENTINEL, conf.toString());
        }
        setup.sentinelPorts.forEach(port -> await("sentinel on " + port + " knows the replica",
          () -> cli(port, "SENTINEL", "REPLICAS", masterName).contains("127.0.0.1")));
        return setup;
      } catch (IOException e) {
        setup.close();
        throw new UncheckedIOException(e);
      } catch (RuntimeException | Error e) {
        setup.close();
        throw e;
      }
    }

    /** The sentinels' endpoints: what {@code redis.uri} names in sentinel mode. */
    @Override
    public String uri() {
      return sentinelPorts.stream().map(port -> "redis://127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    /** The data port the sentinels currently name as master. */
    public int masterPort() {
      String[] reply = cli(sentinelPorts.get(0), "SENTINEL", "GET-MASTER-ADDR-BY-NAME", masterName).trim().split("\\s+");
      return Integer.parseInt(reply[reply.length - 1]);
    }

    /**
     * Forces a failover ({@code SENTINEL FAILOVER}) and answers the old master's port; does not wait for it. Asks
     * again while the sentinel has no replica it judges fit yet (NOGOODSLAVE right after start).
     */
    public int failover() {
      int old = masterPort();
      String[] reply = new String[1];
      await("SENTINEL FAILOVER accepted", () -> {
        reply[0] = cli(sentinelPorts.get(0), "SENTINEL", "FAILOVER", masterName);
        return reply[0].contains("OK") || reply[0].contains("INPROG");
      });
      return old;
    }

    /** Waits until the server on {@code port} answers as a replica (the sentinels reconfigure a demoted master). */
    public void awaitReplica(int port) {
      await("127.0.0.1:" + port + " to become a replica", () -> cli(port, "ROLE").startsWith("slave"));
    }

    /** Waits until every sentinel names another master than {@code oldMaster} and that one answers as master. */
    public void awaitNewMaster(int oldMaster) {
      await("failover away from " + oldMaster, () -> sentinelPorts.stream().allMatch(port -> {
        String[] reply = cli(port, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", masterName).trim().split("\\s+");
        int named = Integer.parseInt(reply[reply.length - 1]);
        return named != oldMaster && cli(named, "ROLE").startsWith("master");
      }));
    }
  }

  /** Answers {@code redis-cli -p port args...}'s output ("" when it could not connect). */
  public static String cli(int port, String... args) {
    List<String> command = new ArrayList<>(List.of(CLI, "-h", "127.0.0.1", "-p", Integer.toString(port)));
    command.addAll(List.of(args));
    return run(command.toArray(String[]::new));
  }

  private static boolean ping(int port) {
    return cli(port, "PING").contains("PONG");
  }

  private static String run(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly();
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void await(String what, BooleanSupplier condition) {
    Eventually.until(what, java.time.Duration.ofSeconds(20), condition);
  }

  /** Outside the range the OS hands out to connections: a server stopped and started again finds its port free. */
  private static int freePort() {
    return TestStack.freeListenPort();
  }

  /** A port free together with port + 10000 (a cluster node's bus port). */
  private static int freePortPair() {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(20_000, 30_000);
      if (free(port) && free(port + 10_000)) return port;
    }
    throw new IllegalStateException("No free port pair for a cluster node");
  }

  private static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
