package io.stockroom.transfer;

import io.stockroom.inventory.MovementType;
import io.stockroom.inventory.SourceKind;
import io.stockroom.inventory.StockChange;
import io.stockroom.inventory.StockEvents;
import io.stockroom.inventory.StockLedger;
import io.stockroom.inventory.StockState;
import io.stockroom.inventory.kernel.Work;
import io.stockroom.platform.bus.Invocation;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The stock movements of one transfer operation inside its unit: TRANSFER movements sourced to the transfer, all part of
 * the operation's event. Made for each run of the unit (a retried transaction runs it again), so the variants it
 * follows start as read under the locks and no movement of an earlier run is counted.
 */
final class TransferMoves {
  private final StockLedger ledger;
  private final Unit unit;
  private final Invocation by;
  private final String transferId;
  private final String day;
  private final StockEvents.Type event;
  private final Map<String, JsonObject> latest;
  private final List<JsonObject> movements = new ArrayList<>();

  TransferMoves(StockLedger ledger, Unit unit, Invocation by, String transferId, Map<String, JsonObject> variants, String day,
                StockEvents.Type event) {
    this.ledger = ledger;
    this.unit = unit;
    this.by = by;
    this.transferId = transferId;
    this.day = day;
    this.event = event;
    this.latest = new HashMap<>(variants);
  }

  /** {@code units} of the variant move from {@code from} to {@code to} at the location; {@code step} names it in the ledger's key. */
  Future<Void> move(String variantId, long units, String locationId, StockState from, StockState to, String step) {
    StockChange change = StockChange.move(by.tenantId(), latest.get(variantId), MovementType.TRANSFER, units, from, to,
        SourceKind.TRANSFER.source(transferId), "transfer:" + transferId + ":" + step + ":" + variantId, by.userId(), "transfer", day)
      .at(locationId).partOf(new StockEvents.Key(event, transferId));
    return ledger.applyToLatest(unit, latest, change).map(movements::add).mapEmpty();
  }

  /** Answers {@code reply}, and publishes the event of the movements made once the unit committed. */
  Future<Work.Done> recorded(Vertx vertx, Reply reply) {
    return StockEvents.recorded(unit, vertx, reply, by.tenantId(), event, transferId, movements);
  }
}
