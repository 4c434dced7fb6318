package io.stockroom.platform.outbox;

import io.stockroom.platform.unit.UnitJournal;
import io.stockroom.platform.unit.UnitRepairs;
import io.vertx.core.Future;
import io.vertx.ext.mongo.MongoClient;

import java.util.Collection;
import java.util.Set;

/**
 * Whether units of work have ended, for consumers of what units wrote (without transactions a unit's writes are
 * visible before it ends, and a failed unit deletes them again). A unit is settled once it has neither a write-ahead
 * journal entry (it runs, rolls back, waits for recovery, or committed and is not cleaned up yet) nor a repair record
 * (it rolled back and its undo is still pending). A settled unit's documents are then exactly what it left: all of
 * them if it committed, none if it rolled back; a consumer reads them again after this check to tell which. With
 * transactions no unit ever has either record, and every visible document was committed.
 */
public final class UnitSettlement {
  /** The units among those asked about that have not settled yet. */
  public record Unsettled(Set<String> inJournal, Set<String> awaitingRepair) {
    public boolean settled(String unitId) {
      return !inJournal.contains(unitId) && !awaitingRepair.contains(unitId);
    }
  }

  private final MongoClient mongo;
  private final UnitRepairs repairs;

  public UnitSettlement(MongoClient mongo) {
    this.mongo = mongo;
    this.repairs = new UnitRepairs(mongo);
  }

  /**
   * The journal first, then the repairs: a unit writes its repair record before its journal entry goes, so a unit
   * found in neither was in neither (read the other way round, a repair record written between the two reads would be
   * missed). Two queries, whatever the number of units.
   */
  public Future<Unsettled> among(Collection<String> unitIds) {
    if (unitIds.isEmpty()) return Future.succeededFuture(new Unsettled(Set.of(), Set.of()));
    return UnitJournal.unitIdsAmong(mongo, unitIds)
      .compose(inJournal -> repairs.unitIdsAmong(unitIds).map(repairing -> new Unsettled(inJournal, repairing)));
  }
}
