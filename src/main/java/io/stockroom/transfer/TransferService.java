package io.stockroom.transfer;

import io.stockroom.auth.TenantSettings;
import io.stockroom.inventory.StockEvents;
import io.stockroom.inventory.StockLedger;
import io.stockroom.inventory.StockState;
import io.stockroom.inventory.Variants;
import io.stockroom.inventory.kernel.StockKernel;
import io.stockroom.inventory.kernel.StockServiceKit;
import io.stockroom.inventory.kernel.Work;
import io.stockroom.location.Locations;
import io.stockroom.platform.bus.Invocation;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.mongo.RecordCodec;
import io.stockroom.platform.unit.Steps;
import io.stockroom.platform.unit.Unit;
import io.stockroom.transfer.TransferCommands.CreateTransfer;
import io.stockroom.transfer.TransferCommands.ReceiveTransfer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Moving stock between two locations of the tenant. A DRAFT moves nothing; shipping takes the units out of the
 * source's available stock and shows them in transit ({@code incoming}) at the destination; receiving (in parts)
 * puts them on hand there; never more than was shipped. Every change runs through the stock kernel: lock the
 * transfer, re-read it, lock its variants, re-check, one unit of work.
 */
public class TransferService {
  private final Vertx vertx;
  private final TransferRepository transfers;
  private final Variants variants;
  private final StockLedger ledger;
  private final StockKernel kernel;
  private final TenantSettings tenants;
  private final Locations locations;

  public TransferService(Vertx vertx, StockServiceKit kit) {
    MongoClient mongo = kit.mongo();
    this.vertx = vertx;
    this.transfers = new TransferRepository(mongo);
    this.variants = new Variants(mongo);
    this.ledger = new StockLedger(variants);
    this.kernel = kit.kernel();
    this.tenants = new TenantSettings(mongo);
    this.locations = new Locations(mongo);
  }

  /** The transfer and its variants, as read under their locks. */
  private record Locked(TransferRepository.AsRead read, Map<String, JsonObject> variants) {
    Transfer transfer() {
      return read.transfer();
    }
  }

  /** A DRAFT; the locations and variants must exist. */
  public Future<Reply> create(CreateTransfer command) {
    Invocation by = command.by();
    return locations.findAll(by.tenantId(), List.of(command.fromLocationId(), command.toLocationId()))
      .compose(found -> variants.getAll(by.tenantId(), command.variantIds()))
      .compose(found -> {
        List<TransferLine> lines = command.items().stream()
          .map(item -> new TransferLine(item.variantId(), found.get(item.variantId()).getString("sku"), item.quantity(), 0)).toList();
        Transfer draft = Transfer.draft(by.tenantId(), command.fromLocationId(), command.toLocationId(), lines, command.note(),
          by.userId(), now());
        // a unit with no locks: the transfer and the Idempotency-Key's answer are written together
        return kernel.run(Work.<Void>of(by).writing((unit, none) -> transfers.insert(unit, draft)
          .map(v -> Work.Done.of(Reply.created(draft.toApi())))));
      });
  }

  /** One page of the tenant's transfers (only those in {@code status}, if given), as clients see them. */
  public Future<JsonObject> list(String tenantId, TransferStatus status, Page page) {
    return transfers.search(tenantId, status, page);
  }

  public Future<Transfer> get(String tenantId, String transferId) {
    return transfers.find(tenantId, transferId);
  }

  /** DRAFT → SHIPPED: every line leaves the source's available units (all or nothing) and is in transit to the destination. */
  public Future<Reply> ship(Invocation by, String transferId) {
    return tenants.today(by.tenantId()).compose(day -> underTransferLocks(by, transferId, (unit, locked) -> {
      Transfer before = locked.transfer();
      Transfer shipped = before.ship(now());
      TransferMoves moves = new TransferMoves(ledger, unit, by, before.id(), locked.variants(), day, StockEvents.Type.TRANSFER_SHIPPED);
      return transfers.change(unit, locked.read(), shipped)
        .compose(after -> Steps.each(before.lines(), line -> moves
            .move(line.variantId(), line.quantity(), before.fromLocationId(), StockState.AVAILABLE, null, "ship")
            .compose(left -> moves.move(line.variantId(), line.quantity(), before.toLocationId(), null, StockState.IN_TRANSIT, "transit")))
          .compose(v -> moves.recorded(vertx, Reply.ok(after.toApi()))));
    }));
  }

  /** Units in transit go on hand at the destination; never more than shipped. */
  public Future<Reply> receive(ReceiveTransfer command) {
    Invocation by = command.by();
    return tenants.today(by.tenantId()).compose(day -> underTransferLocks(by, command.transferId(), (unit, locked) -> {
      Transfer before = locked.transfer();
      TransferReceipt receipt = TransferReceipt.of(command.items(), command.note(), by.userId(), now());
      Transfer received = before.receive(receipt);
      TransferMoves moves = new TransferMoves(ledger, unit, by, before.id(), locked.variants(), day, StockEvents.Type.TRANSFER_RECEIVED);
      return transfers.change(unit, locked.read(), received)
        .compose(after -> Steps.each(receipt.unitsByVariant().entrySet(), units -> moves.move(units.getKey(), units.getValue(),
            before.toLocationId(), StockState.IN_TRANSIT, StockState.AVAILABLE, "receive:" + receipt.id()))
          .compose(v -> moves.recorded(vertx, Reply.ok(RecordCodec.toApi(
            new Received(receipt.toApi(), after.toApi()))))));
    }));
  }

  /** The answer to a receipt: the receipt and the transfer after it, as clients see them. */
  private record Received(JsonObject receipt, JsonObject transfer) {
  }

  /** DRAFT → CANCELLED; nothing had moved. */
  public Future<Reply> cancel(Invocation by, String transferId) {
    return underTransferLocks(by, transferId, (unit, locked) -> transfers.change(unit, locked.read(), locked.transfer().cancel(now()))
      .map(after -> Work.Done.of(Reply.ok(after.toApi()))));
  }

  private Future<Reply> underTransferLocks(Invocation by, String id, BiFunction<Unit, Locked, Future<Work.Done>> write) {
    String tenantId = by.tenantId();
    return transfers.find(tenantId, id).compose(exists -> kernel.run(Work.<Locked>of(by)
      .locking(List.of(TransferRepository.LOCK.key(tenantId, id)))
      .reading(() -> transfers.read(tenantId, id)
        .compose(read -> variants.getAll(tenantId, read.transfer().variantIds()).map(found -> new Locked(read, found))))
      .thenLocking(locked -> locked.variants().keySet().stream().map(v -> Variants.LOCK.key(tenantId, v)).toList())
      .writing(write)));
  }

  /** To the millisecond, as stored dates keep it, so an answer reads back as it was given. */
  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }
}
