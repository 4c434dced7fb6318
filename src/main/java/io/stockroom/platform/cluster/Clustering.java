package io.stockroom.platform.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.XmlConfigBuilder;
import io.stockroom.platform.config.ConfigException;
import io.stockroom.platform.config.ConfigKey;
import io.stockroom.platform.config.Settings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Starts Vert.x clustered through Hazelcast when {@code cluster.enabled}: the base configuration from
 * {@code cluster.configPath}, then the cluster name ({@code cluster.name}, which wins over the file's) and the join from the settings (Kubernetes discovery in DNS mode when
 * {@code cluster.kubernetes.serviceDns} is set, else TCP-IP to {@code cluster.members}); never multicast.
 * The cluster carries the event bus only: correctness never rests on Hazelcast locks or maps.
 */
public final class Clustering {
  private Clustering() {
  }

  public static Future<Vertx> vertx(Settings settings, VertxOptions options) {
    options.setEventLoopPoolSize(eventLoops(settings.integer(ConfigKey.VERTX_EVENT_LOOPS)));
    if (!settings.bool(ConfigKey.CLUSTER_ENABLED)) return Future.succeededFuture(Vertx.vertx(options));
    Config config = hazelcastConfig(settings);
    EventBusOptions bus = options.getEventBusOptions().setPort(settings.integer(ConfigKey.CLUSTER_EVENT_BUS_PORT));
    if (!settings.isBlank(ConfigKey.CLUSTER_HOST)) {
      bus.setHost(settings.string(ConfigKey.CLUSTER_HOST)).setClusterPublicHost(settings.string(ConfigKey.CLUSTER_HOST));
    }
    return Vertx.builder().with(options).withClusterManager(new HazelcastClusterManager(config)).buildClustered();
  }

  /**
   * Event-loop threads for {@code vertx.eventLoops}; 0 means Vert.x's default, two per core. One per core served reads
   * about 8 % faster on 2 cores, but its start times under load were not clearly as good (docs/benchmarks.md, item 15).
   */
  public static int eventLoops(int configured) {
    return configured > 0 ? configured : VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
  }

  static Config hazelcastConfig(Settings settings) {
    Config config = load(settings.string(ConfigKey.CLUSTER_CONFIG_PATH));
    if (settings.isBlank(ConfigKey.CLUSTER_NAME)) {
      throw new ConfigException(ConfigKey.CLUSTER_NAME.envName() + " (" + ConfigKey.CLUSTER_NAME.key()
        + ") is empty: members join only a cluster of the same name, so give this one a name");
    }
    config.setClusterName(settings.string(ConfigKey.CLUSTER_NAME));
    NetworkConfig network = config.getNetworkConfig().setPort(settings.integer(ConfigKey.CLUSTER_PORT)).setPortAutoIncrement(true);
    if (!settings.isBlank(ConfigKey.CLUSTER_HOST)) {
      String host = settings.string(ConfigKey.CLUSTER_HOST);
      network.setPublicAddress(host);
      network.getInterfaces().setEnabled(true).setInterfaces(List.of(host));
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    String serviceDns = settings.string(ConfigKey.CLUSTER_KUBERNETES_SERVICE_DNS);
    if (!serviceDns.isBlank()) {
      join.getTcpIpConfig().setEnabled(false);
      join.getKubernetesConfig().setEnabled(true).setProperty("service-dns", serviceDns);
    } else {
      List<String> members = Arrays.stream(settings.string(ConfigKey.CLUSTER_MEMBERS).split(",")).map(String::trim)
        .filter(m -> !m.isEmpty()).toList();
      join.getKubernetesConfig().setEnabled(false);
      join.getTcpIpConfig().setEnabled(true).setMembers(members.isEmpty() ? List.of("127.0.0.1") : members);
    }
    return config;
  }

  private static Config load(String path) {
    try {
      Path file = Path.of(path);
      if (Files.isRegularFile(file)) return new XmlConfigBuilder(file.toString()).build();
      try (InputStream packaged = Clustering.class.getClassLoader().getResourceAsStream(path)) {
        if (packaged == null) {
          throw new ConfigException(ConfigKey.CLUSTER_CONFIG_PATH.key() + " (env " + ConfigKey.CLUSTER_CONFIG_PATH.envName()
            + "): no file " + path);
        }
        return new XmlConfigBuilder(packaged).build();
      }
    } catch (IOException e) {
      throw new ConfigException("Cannot read " + ConfigKey.CLUSTER_CONFIG_PATH.key() + " " + path + ": " + e.getMessage());
    }
  }
}
