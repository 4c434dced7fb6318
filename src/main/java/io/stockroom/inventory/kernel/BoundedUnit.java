package io.stockroom.inventory.kernel;

import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every unit's writes, counted: a unit may write at most {@link #MAX_WRITES} documents, so that it stays well inside
 * what one MongoDB transaction can carry (60 s, and the oplog entry of its commit). Work that could go past it is
 * split into units by its owner (pages, batches); one that goes past it anyway is a defect, and fails before writing
 * more. The largest count per unit name is kept for the tests and the harness.
 */
public final class BoundedUnit implements Unit {
  public static final int MAX_WRITES = 2_000;
  private static final Map<String, Integer> LARGEST = new ConcurrentHashMap<>();

  private final Unit unit;
  private final String name;
  private int writes;

  BoundedUnit(Unit unit, String name) {
    this.unit = unit;
    this.name = name;
  }

  /** The most documents one unit of each name wrote in this process so far. */
  public static Map<String, Integer> largest() {
    return new TreeMap<>(LARGEST);
  }

  private <T> Future<T> counted(java.util.function.Supplier<Future<T>> write) {
    if (++writes > MAX_WRITES) {
      return Future.failedFuture(new IllegalStateException("Unit " + name + " tried to write more than " + MAX_WRITES
        + " documents; split the work into smaller units"));
    }
    LARGEST.merge(name, writes, Math::max);
    return write.get();
  }

  @Override
  public String id() {
    return unit.id();
  }

  @Override
  public Future<Void> insert(String collection, JsonObject document) {
    return counted(() -> unit.insert(collection, document));
  }

  @Override
  public Future<JsonObject> compareAndSet(String collection, JsonObject before, JsonObject guard, JsonObject set, JsonObject unset) {
    return counted(() -> unit.compareAndSet(collection, before, guard, set, unset));
  }

  @Override
  public Future<Boolean> delete(String collection, JsonObject before) {
    return counted(() -> unit.delete(collection, before));
  }

  @Override
  public Future<JsonObject> updateShared(String collection, JsonObject filter, JsonObject update, JsonObject undo, boolean upsert) {
    return counted(() -> unit.updateShared(collection, filter, update, undo, upsert));
  }

  @Override
  public Future<Void> queueInsert(String collection, JsonObject document) {
    return counted(() -> unit.queueInsert(collection, document));
  }

  @Override
  public Future<JsonObject> queueCompareAndSet(String collection, JsonObject before, JsonObject set, JsonObject unset) {
    return counted(() -> unit.queueCompareAndSet(collection, before, set, unset));
  }

  @Override
  public Future<Void> queueUpdateShared(String collection, JsonObject filter, JsonObject update, JsonObject undo, boolean upsert,
                                        Throwable unmatched) {
    return counted(() -> unit.queueUpdateShared(collection, filter, update, undo, upsert, unmatched));
  }
}
