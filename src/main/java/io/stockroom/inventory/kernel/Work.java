package io.stockroom.inventory.kernel;

import io.stockroom.platform.bus.BusRequest;
import io.stockroom.platform.bus.IdempotencyClaim;
import io.stockroom.platform.bus.Invocation;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * One stock-changing operation as the {@link StockKernel} runs it: the unit's name, the keys to lock first, the read
 * that decides (repeated under the lock), optionally the further keys that read names, and the writes.
 *
 * @param <S> what the read under the lock yields (the documents the decision is made on)
 */
public final class Work<S> {
  final String unitName;
  final String tenantId;
  final IdempotencyClaim claim;
  /** Whether a caller waits for the answer (then the unit's deadline also keeps below {@code bus.timeoutMs}). */
  final boolean awaited;
  /** When the caller started waiting (epoch ms), or when background work started. */
  final long arrived;
  List<String> keys = List.of();
  /** The read, given the unit's deadline (epoch ms) to bound its queries by. */
  LongFunction<Future<S>> read = deadline -> Future.succeededFuture(null);
  Function<S, List<String>> moreKeys;
  BiFunction<Unit, S, Future<Done>> write;

  /** What a unit answers, and what to do once it committed and its locks are released (publish events). */
  public record Done(Reply reply, Runnable afterCommit) {
    public static Done of(Reply reply) {
      return new Done(reply, () -> { });
    }
  }

  private Work(String unitName, String tenantId, IdempotencyClaim claim, boolean awaited, long arrived) {
    this.unitName = unitName;
    this.tenantId = tenantId;
    this.claim = claim;
    this.awaited = awaited;
    this.arrived = arrived > 0 ? arrived : System.currentTimeMillis();
  }

  /** The unit of the request's operation (its name in logs and failpoints), tenant and Idempotency-Key claim. */
  public static <S> Work<S> of(BusRequest request) {
    return of(request.invocation());
  }

  /** The unit of the invoked operation (its name in logs and failpoints), tenant and Idempotency-Key claim. */
  public static <S> Work<S> of(Invocation invocation) {
    return new Work<>(invocation.operation().unitName(), invocation.tenantId(), invocation.claim(), true, invocation.receivedAt());
  }

  /**
   * A unit serving several requests at once (group commit): it has no Idempotency-Key claim of its own; each request's
   * claim is completed inside the unit by the work itself ({@code IdempotencyStore.completeInUnit}). {@code first} is
   * the invocation that has waited longest: the unit's deadline counts from it, and the unit is named after its operation.
   */
  public static <S> Work<S> together(Invocation first) {
    return new Work<>(first.operation().unitName(), first.tenantId(), null, true, first.receivedAt());
  }

  /** A unit started by the service itself (background work), with no request behind it. */
  public static <S> Work<S> background(String unitName, String tenantId) {
    return new Work<>(unitName, tenantId, null, false, 0L);
  }

  public Work<S> locking(List<String> keys) {
    this.keys = keys;
    return this;
  }

  /** The read that decides; it runs under the locks (and again after {@link #thenLocking}). */
  public Work<S> reading(Supplier<Future<S>> read) {
    this.read = deadline -> read.get();
    return this;
  }

  /**
   * {@link #reading}, for a read that bounds its queries by the unit's deadline (epoch ms): it may start late, after a
   * wait for the locks, and must still end before its caller gives up.
   */
  public Work<S> readingWithin(LongFunction<Future<S>> read) {
    this.read = read;
    return this;
  }

  /**
   * Keys named by the read (a document's variants): locked after the first keys, then the read runs again and the
   * keys it names must all be held, otherwise the work fails with 409 and nothing is written.
   */
  public Work<S> thenLocking(Function<S, List<String>> moreKeys) {
    this.moreKeys = moreKeys;
    return this;
  }

  /** The unit of work, run on what the read yielded. Validation failures are thrown or returned before any write. */
  public Work<S> writing(BiFunction<Unit, S, Future<Done>> write) {
    this.write = write;
    return this;
  }
}
