package io.stockroom;

import io.stockroom.dashboard.DashboardContract;
import io.stockroom.inventory.Variants;
import io.stockroom.order.OrderRepository;
import io.stockroom.platform.ratelimit.RateLimiter.Bucket;
import io.stockroom.platform.ratelimit.RatePolicy;
import io.stockroom.support.RedisTopologies;
import io.stockroom.support.ServiceOnRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stockroom on a three-master Redis Cluster (redis.type=cluster): every script's keys share one hash slot. */
@Timeout(120)
class RedisClusterTest extends RedisTopologyContract {
  private static RedisTopologies.Cluster cluster;
  private static ServiceOnRedis service;

  @BeforeAll
  static void start() {
    RedisTopologies.requireBinaries();
    cluster = RedisTopologies.Cluster.start(3);
    service = ServiceOnRedis.start(overrides("cluster", cluster.uri()));
  }

  @AfterAll
  static void stop() {
    if (service != null) service.close();
    if (cluster != null) cluster.close();
  }

  @Override
  ServiceOnRedis service() {
    return service;
  }

  @Test
  @DisplayName("a lock key, its fence counter and its grants hash to one slot; different locks spread over slots")
  void lockKeysShareASlot() {
    List<String> keys = List.of(Variants.LOCK.key("t1", "v1"), OrderRepository.LOCK.key("t1", "o1"), DashboardContract.LOCK.key("t2"));
    for (String key : keys) {
      int slot = cluster.slot(key);
      assertEquals(slot, cluster.slot("fence:{" + key + "}"), key);
      assertEquals(slot, cluster.slot("grants:{" + key + "}"), key);
    }
    assertTrue(keys.stream().map(cluster::slot).collect(Collectors.toSet()).size() > 1, "the test keys spread over slots");
  }

  @Test
  @DisplayName("a caller's tenant and user buckets hash to one slot (one script takes from both)")
  void rateLimitBucketsShareASlot() {
    RatePolicy policy = RatePolicy.of(service.settings);
    List<Bucket> buckets = policy.forCaller("65f0a1b2c3d4e5f6a7b8c9d0", "65f0a1b2c3d4e5f6a7b8c9d1");
    Set<Integer> slots = buckets.stream().map(b -> cluster.slot(b.key())).collect(Collectors.toSet());
    assertEquals(1, slots.size(), buckets::toString);
  }
}
