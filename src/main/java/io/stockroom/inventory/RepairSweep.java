package io.stockroom.inventory;

import io.stockroom.platform.metrics.Meters;

import io.stockroom.platform.lock.LockManager;
import io.stockroom.platform.unit.Steps;
import io.stockroom.platform.unit.UnitRepairs;
import io.vertx.core.Future;
import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonObject;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries the repair journal in the background: for each unit whose undo could not finish, under the locks of its
 * variants, the pending undo steps are applied again (they are idempotent); an entry goes once all of its steps are
 * done. A step that now conflicts with later changes stays recorded, and the audit keeps listing it for an operator.
 * Safe on every instance at once (the locks avoid racing work, the steps are idempotent). A sweep pages through every
 * entry, so entries that keep conflicting never hide newer ones behind them.
 */
public final class RepairSweep {
  private static final Logger LOG = LoggerFactory.getLogger(RepairSweep.class);
  private static final int ENTRIES_PER_PAGE = 100;

  private final UnitRepairs repairs;
  private final LockManager locks;

  public RepairSweep(UnitRepairs repairs, LockManager locks) {
    this.repairs = repairs;
    this.locks = locks;
  }

  /** @return how many entries are left */
  public Future<Integer> sweep() {
    return sweepFrom(null, 0);
  }

  private Future<Integer> sweepFrom(String afterId, int left) {
    return repairs.entries(afterId, ENTRIES_PER_PAGE).compose(entries -> Steps.map(entries, this::retry).compose(done -> {
      int stillLeft = left + (int) done.stream().filter(finished -> !finished).count();
      return entries.size() < ENTRIES_PER_PAGE ? Future.succeededFuture(stillLeft)
        : sweepFrom(Entry.of(entries.get(entries.size() - 1)).unitId(), stillLeft);
    }));
  }

  /** What the sweep reads of a repair journal entry: the unit (its id), its tenant and the variants it locks. */
  private record Entry(@Key("_id") String unitId, String tenantId, List<String> variantIds) {
    static Entry of(JsonObject stored) {
      return RecordCodec.fromDocument(Entry.class, stored);
    }
  }

  private Future<Boolean> retry(JsonObject stored) {
    Entry entry = Entry.of(stored);
    String tenantId = entry.tenantId();
    var keys = entry.variantIds().stream().map(id -> Variants.LOCK.key(tenantId, id)).toList();
    return locks.acquire(keys).compose(lease -> repairs.retryPending(entry.unitId()).eventually(lease::release))
      .onSuccess(finished -> {
        if (finished) Meters.unitRepaired();
        if (finished) LOG.info("Unit {} of tenant {} repaired: its pending undo steps are done", entry.unitId(), tenantId);
      })
      .otherwise(err -> {
        LOG.warn("Repair of unit {} failed, retried next sweep: {}", entry.unitId(), err.toString());
        return false;
      });
  }
}
