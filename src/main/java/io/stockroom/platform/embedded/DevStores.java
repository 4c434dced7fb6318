package io.stockroom.platform.embedded;

import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar stockroom.jar dev-stores [--mongo-port P] [--redis-port P]}: the embedded MongoDB stand-in and a
 * redis-server as standalone servers on fixed loopback ports, so several Stockroom instances on one machine can share
 * them (a local cluster). For development only: the data lives in memory and is gone when this stops.
 */
public final class DevStores {
  public static final int DEFAULT_MONGO_PORT = 27017;
  public static final int DEFAULT_REDIS_PORT = 6379;

  private DevStores() {
  }

  public static void main(String[] args) throws InterruptedException {
    int mongoPort = DEFAULT_MONGO_PORT;
    int redisPort = DEFAULT_REDIS_PORT;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--mongo-port" -> mongoPort = port(args, ++i);
        case "--redis-port" -> redisPort = port(args, ++i);
        default -> usage("unknown option " + args[i]);
      }
    }
    EmbeddedServers servers = new EmbeddedServers();
    String mongo = servers.startMongo(mongoPort);
    String redis = servers.startRedis(redisPort);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      servers.stop();
      stopped.countDown();
    }, "dev-stores-shutdown"));
    System.out.println("DEV-ONLY shared stores (in memory, gone when this stops). For each instance:");
    System.out.println("STOCKROOM_MONGO_URI=" + mongo);
    System.out.println("STOCKROOM_REDIS_URI=" + redis);
    System.out.flush();
    stopped.await();
  }

  private static int port(String[] args, int at) {
    if (at >= args.length) usage("missing port");
    try {
      int port = Integer.parseInt(args[at]);
      if (port < 1 || port > 65535) usage("port out of range: " + port);
      return port;
    } catch (NumberFormatException e) {
      usage("not a port: " + args[at]);
      return -1;
    }
  }

  private static void usage(String problem) {
    System.err.println("dev-stores: " + problem + "\nusage: java -jar stockroom.jar dev-stores [--mongo-port P] [--redis-port P]");
    System.exit(2);
  }
}
