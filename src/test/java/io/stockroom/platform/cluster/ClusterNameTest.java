package io.stockroom.platform.cluster;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.stockroom.platform.config.ConfigException;
import io.stockroom.platform.config.Settings;
import io.stockroom.support.LogCapture;
import io.stockroom.support.TestStack;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** cluster.name keeps clusters that share hosts (and a members list) apart. */
@Timeout(120)
class ClusterNameTest {

  @Test
  @DisplayName("three members on one host that all list each other: the two named 'blue' form a cluster, 'green' stays alone")
  void differentNamesDoNotMerge() {
    List<Integer> ports = List.of(TestStack.freeListenPort(), TestStack.freeListenPort(), TestStack.freeListenPort());
    String members = String.join(",", ports.stream().map(p -> "127.0.0.1:" + p).toList());
    List<HazelcastInstance> started = new ArrayList<>();
    LogCapture.install();
    try {
      HazelcastInstance blue = start(started, "blue", ports.get(0), members);
      HazelcastInstance green = start(started, "green", ports.get(1), members);
      HazelcastInstance blueToo = start(started, "blue", ports.get(2), members);
      assertEquals("blue", blue.getConfig().getClusterName());
      assertEquals(2, blue.getCluster().getMembers().size(), blue.getCluster().getMembers()::toString);
      assertEquals(2, blueToo.getCluster().getMembers().size(), blueToo.getCluster().getMembers()::toString);
      assertEquals(1, green.getCluster().getMembers().size(), green.getCluster().getMembers()::toString);
      assertEquals(List.of(), LogCapture.linesContaining("CP Subsystem is not enabled"), "Stockroom uses no CP structure");
    } finally {
      started.forEach(HazelcastInstance::shutdown);
    }
  }

  @Test
  @DisplayName("the default name is stockroom, and an empty one stops the start naming STOCKROOM_CLUSTER_NAME")
  void defaultAndEmpty() {
    assertEquals("stockroom", Clustering.hazelcastConfig(settings(new JsonObject())).getClusterName());
    ConfigException empty = assertThrows(ConfigException.class,
      () -> Clustering.hazelcastConfig(settings(new JsonObject().put("cluster.name", " "))));
    assertTrue(empty.getMessage().contains("STOCKROOM_CLUSTER_NAME"), empty.getMessage());
  }

  private static HazelcastInstance start(List<HazelcastInstance> started, String name, int port, String members) {
    HazelcastInstance instance = Hazelcast.newHazelcastInstance(Clustering.hazelcastConfig(settings(new JsonObject()
      .put("cluster.name", name).put("cluster.port", port).put("cluster.host", "127.0.0.1").put("cluster.members", members))));
    started.add(instance);
    return instance;
  }

  private static Settings settings(JsonObject explicit) {
    return Settings.resolve(new JsonObject(), new JsonObject(), new JsonObject(), explicit.put("cluster.enabled", true));
  }
}
