package io.stockroom;

import io.stockroom.platform.config.ConfigKey;
import io.stockroom.support.Api;
import io.stockroom.support.Session;
import io.stockroom.support.TestStack;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service's HTTP verticles spend leased rate-limit tokens: each serves its requests on its own event loop, where
 * its leases live, so a busy caller costs a Redis call per lease, not per request.
 */
class LeasedRateLimitsTest {
  private final TestStack stack = TestStack.get();
  private final Api api = stack.api;

  @Test
  @DisplayName("1,000 authenticated reads over 8 connections (both HTTP verticles) cost a few Redis calls, not one each")
  void readsSpendLeasedTokens() {
    Session owner = api.signup("Leased Reads Co");
    String variant = api.createVariant(owner, api.createProduct(owner, "Leased"), "LEASED-1", 100, 10).getString("id");
    RedisAPI redis = RedisAPI.api(Redis.createClient(stack.vertx, stack.settings.string(ConfigKey.REDIS_URI)));
    Vertx clients = Vertx.vertx();
    WebClient client = WebClient.create(clients, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(stack.port),
      new PoolOptions().setHttp1MaxSize(8));
    try {
      long before = scriptCalls(redis);
      int reads = 0;
      for (int round = 0; round < 125; round++) {
        List<Future<HttpResponse<Buffer>>> batch = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          batch.add(client.get("/api/v1/variants/" + variant).putHeader("Authorization", "Bearer " + owner.token()).send());
        }
        Future.all(batch).await();
        for (Future<HttpResponse<Buffer>> read : batch) assertTrue(read.result().statusCode() == 200, read.result()::bodyAsString);
        reads += batch.size();
      }
      long calls = scriptCalls(redis) - before;
      assertTrue(calls < reads / 10, reads + " reads took " + calls + " Redis script calls");
    } finally {
      clients.close().await();
    }
  }

  private static long scriptCalls(RedisAPI redis) {
    long calls = 0;
    for (String line : redis.info(List.of("commandstats")).await().toString().split("\r?\n")) {
      if (line.startsWith("cmdstat_evalsha:") || line.startsWith("cmdstat_eval:")) {
        calls += Long.parseLong(line.replaceAll("^[^:]+:calls=(\\d+),.*", "$1"));
      }
    }
    return calls;
  }
}
