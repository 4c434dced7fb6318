package io.stockroom.inventory.kernel;

import io.stockroom.platform.bus.ServiceConsumers;
import io.stockroom.platform.bus.ServiceOperation;
import io.stockroom.platform.unit.UnitJournal;

/**
 * Recovers the units of work of instances that died, whatever feature they belong to: every journal heartbeat it takes
 * over the entries whose lease ran out ({@link UnitRecovery}), and now and then clears the journal's orphaned step
 * documents.
 */
public class RecoveryVerticle extends StockServiceVerticle {
  public static final ServiceOperation RECOVER = ServiceOperation.named("units.recover");
  public static final ServiceOperation ORPHAN_STEPS = ServiceOperation.named("units.orphan-steps");
  /** Step documents lose their entry only when an instance dies between the two deletes that close a unit: rare. */
  private static final long ORPHAN_STEPS_EVERY_MS = 60_000;

  @Override
  protected ServiceConsumers bind(StockServiceKit kit, ServiceConsumers consumers) {
    UnitJournal journal = new UnitJournal(kit.mongo(), kit.lockTtlMs());
    UnitRecovery recovery = new UnitRecovery(vertx, kit.mongo(), journal, kit.idempotency(), kit.locks());
    everyTurn(RECOVER, journal.heartbeatMs(), recovery::sweep);
    everyTurn(ORPHAN_STEPS, ORPHAN_STEPS_EVERY_MS, recovery::removeOrphanSteps);
    return consumers;
  }
}
