package io.stockroom;

import io.stockroom.inventory.Variants;
import io.stockroom.order.OrderRepository;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.lock.LockManager;
import io.stockroom.support.OwnRedis;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lock manager against a real redis-server of its own, which this test also makes hang. */
class LockManagerTest {
  private static OwnRedis own;
  private static Vertx vertx;
  private static Redis redis;
  private static io.vertx.core.Context context;

  @BeforeAll
  static void start() throws Exception {
    own = OwnRedis.start();
    vertx = own.vertx;
    redis = own.redis;
    context = own.context;
  }

  @AfterAll
  static void stop() throws Exception {
    own.close();
  }

  /** Runs on an event loop of its own, as a service verticle would use it. */
  private static <T> T onContext(Callable<Future<T>> work) {
    return own.onContext(work);
  }

  @Test
  @DisplayName("a thousand waiters that time out do not leave the key blocked, and a full line is refused at once")
  void timedOutWaitersReleaseTheKey() {
    LockManager locks = new LockManager(vertx, redis, new LockManager.LockSettings(10_000, 300, 1_000, 1_000));
    String key = Variants.LOCK.key("t", "hot");
    LockManager.Lease holder = onContext(() -> locks.acquire(List.of(key)));
    List<Future<LockManager.Lease>> waiters = new ArrayList<>();
    onContext(() -> {
      for (int i = 0; i < 1_200; i++) waiters.add(locks.acquire(List.of(key)));
      return Future.succeededFuture();
    });
    Future.join(new ArrayList<>(waiters)).otherwiseEmpty().await();
    long lineFull = waiters.stream().filter(w -> w.failed() && ((ServiceError) w.cause()).detail().contains("Too many")).count();
    assertEquals(200, lineFull, "past 1000 waiters requests are refused at once");
    waiters.forEach(w -> {
      assertTrue(w.failed());
      ServiceError error = assertInstanceOf(ServiceError.class, w.cause());
      assertEquals(ErrorCode.UNAVAILABLE, error.code());
      assertNotNull(error.extensions().getValue("retryAfterSeconds"));
    });
    onContext(holder::release);
    LockManager.Lease next = onContext(() -> locks.acquire(List.of(key)));
    assertEquals(List.of(key), next.keys());
    onContext(next::release);
  }

  @Test
  @DisplayName("a Redis that hangs gives a fast 503, and locks work again once it answers")
  void hangingRedis() {
    LockManager locks = new LockManager(vertx, redis, new LockManager.LockSettings(10_000, 5_000, 100, 500));
    RedisAPI.api(redis).client(List.of("PAUSE", "2500")).await();
    long started = System.currentTimeMillis();
    Future<LockManager.Lease> attempt = Future.future(p -> context.runOnContext(v ->
      locks.acquire(List.of(Variants.LOCK.key("t", "paused"))).onComplete(p)));
    Throwable failure = attempt.otherwiseEmpty().await() == null ? attempt.cause() : null;
    long took = System.currentTimeMillis() - started;
    assertNotNull(failure, "acquired a lock from a paused Redis");
    assertEquals(ErrorCode.UNAVAILABLE, ((ServiceError) failure).code());
    assertTrue(took < 1_500, "took " + took + " ms");
    long deadline = System.currentTimeMillis() + 10_000;
    LockManager.Lease lease = null;
    while (lease == null && System.currentTimeMillis() < deadline) {
      lease = onContext(() -> locks.acquire(List.of(Variants.LOCK.key("t", "paused"))).otherwiseEmpty());
    }
    assertNotNull(lease, "Redis answered again but no lock could be taken");
    LockManager.Lease held = lease;
    onContext(held::release);
  }

  @Test
  @DisplayName("a lease extends only with keys later in the lock order")
  void lockOrder() {
    LockManager locks = new LockManager(vertx, redis, new LockManager.LockSettings(10_000, 1_000, 10, 1_000));
    LockManager.Lease lease = onContext(() -> locks.acquire(List.of(Variants.LOCK.key("t", "v1"))));
    Future<LockManager.Lease> wrongOrder = Future.future(p -> context.runOnContext(v ->
      lease.extend(List.of(OrderRepository.LOCK.key("t", "o1"))).onComplete(p)));
    assertTrue(wrongOrder.otherwiseEmpty().await() == null && wrongOrder.failed(), "a document key after a variant key");
    onContext(lease::release);
  }

  @Test
  @DisplayName("one instance per period gets a background job's turn; the next period is open again")
  void oneTurnPerPeriod() throws Exception {
    LockManager first = new LockManager(vertx, redis, new LockManager.LockSettings(10_000, 1_000, 10, 1_000));
    LockManager second = new LockManager(vertx, redis, new LockManager.LockSettings(10_000, 1_000, 10, 1_000));
    String job = "turn-test-" + System.nanoTime();
    assertEquals(true, onContext(() -> first.takeTurn(job, 400)));
    assertEquals(false, onContext(() -> second.takeTurn(job, 400)));
    assertEquals(false, onContext(() -> first.takeTurn(job, 400)));
    Thread.sleep(450);
    assertEquals(true, onContext(() -> second.takeTurn(job, 400)));
  }
}
