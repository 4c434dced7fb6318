package io.stockroom.transfer;

import io.stockroom.auth.TenantSettings;
import io.stockroom.inventory.MovementType;
import io.stockroom.inventory.SourceKind;
import io.stockroom.inventory.StockChange;
import io.stockroom.inventory.StockEvents;
import io.stockroom.inventory.StockLedger;
import io.stockroom.inventory.StockState;
import io.stockroom.inventory.VariantLines;
import io.stockroom.inventory.Variants;
import io.stockroom.location.Locations;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.Invocation;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.kernel.StockKernel;
import io.stockroom.platform.kernel.StatusChange;
import io.stockroom.platform.kernel.StockServiceKit;
import io.stockroom.platform.kernel.Work;
import io.stockroom.platform.lock.LockKeys;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.unit.Steps;
import io.stockroom.platform.unit.Unit;
import io.stockroom.transfer.TransferCommands.CreateTransfer;
import io.stockroom.transfer.TransferCommands.ReceiveTransfer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
  private record Locked(JsonObject transfer, Map<String, JsonObject> variants) {
  }

  /** A DRAFT; the locations and variants must exist. */
  public Future<Reply> create(CreateTransfer command) {
    String tenantId = command.by().tenantId();
    return locations.findAll(tenantId, List.of(command.fromLocationId(), command.toLocationId()))
      .compose(found -> variants.getAll(tenantId, command.variantIds()))
      .compose(found -> {
        JsonArray lines = new JsonArray();
        command.items().forEach(item -> lines.add(new JsonObject().put("variantId", item.variantId())
          .put("sku", found.get(item.variantId()).getString("sku")).put("quantity", item.quantity()).put("received", 0L)));
        JsonObject transfer = new JsonObject().put("_id", Mongo.newId()).put("tenantId", tenantId)
          .put("fromLocationId", command.fromLocationId()).put("toLocationId", command.toLocationId())
          .put("status", TransferStatus.DRAFT.name()).put("lines", lines).put("receipts", new JsonArray()).put("note", command.note())
          .put("version", 0L).put("createdBy", command.by().userId()).put("createdAt", Mongo.now());
        // a unit with no locks: the transfer and the Idempotency-Key's answer are written together
        return kernel.run(Work.<Void>of(command.by()).writing((unit, none) -> unit.insert(TransferRepository.COLLECTION, transfer)
          .map(v -> Work.Done.of(Reply.created(TransferRepository.toApi(transfer))))));
      });
  }

  /** One page of the tenant's transfers (only those in {@code status}, if given), as clients see them. */
  public Future<JsonObject> list(String tenantId, TransferStatus status, Page page) {
    return transfers.search(tenantId, status, page);
  }

  /** The transfer as clients see it. */
  public Future<JsonObject> get(String tenantId, String transferId) {
    return transfers.get(tenantId, transferId).map(TransferRepository::toApi);
  }

  /** DRAFT → SHIPPED: every line leaves the source's available units (all or nothing) and is in transit to the destination. */
  public Future<Reply> ship(Invocation by, String transferId) {
    return tenants.today(by.tenantId()).compose(day -> underTransferLocks(by, transferId, (unit, locked) -> {
      JsonObject transfer = locked.transfer();
      requireStatus(transfer, TransferStatus.DRAFT, "shipped");
      String id = transfer.getString("_id");
      Map<String, JsonObject> latest = new HashMap<>(locked.variants());
      List<JsonObject> movements = new ArrayList<>();
      return cas(unit, transfer, new JsonObject().put("status", TransferStatus.SHIPPED.name()).put("shippedAt", Mongo.now()))
        .compose(after -> Steps.each(transfer.getJsonArray("lines"), o -> {
            JsonObject line = (JsonObject) o;
            long quantity = line.getLong("quantity");
            StockEvents.Key shipped = new StockEvents.Key(StockEvents.Type.TRANSFER_SHIPPED, id);
            return move(unit, by, latest, line, quantity, transfer.getString("fromLocationId"), StockState.AVAILABLE, null,
                "transfer:" + id + ":ship", day, shipped)
              .compose(out -> move(unit, by, latest, line, quantity, transfer.getString("toLocationId"), null, StockState.IN_TRANSIT,
                  "transfer:" + id + ":transit", day, shipped)
                .map(in -> movements.add(out) && movements.add(in)));
          })
          .compose(v -> StockEvents.recorded(unit, vertx, Reply.ok(TransferRepository.toApi(after)), by.tenantId(),
            StockEvents.Type.TRANSFER_SHIPPED, id, movements)));
    }));
  }

  /** Units in transit go on hand at the destination; never more than shipped. */
  public Future<Reply> receive(ReceiveTransfer command) {
    Invocation by = command.by();
    return tenants.today(by.tenantId()).compose(day -> underTransferLocks(by, command.transferId(), (unit, locked) -> {
      JsonObject transfer = locked.transfer();
      requireStatus(transfer, TransferStatus.SHIPPED, "received");
      JsonArray lines = transfer.getJsonArray("lines").copy();
      JsonArray over = new JsonArray();
      Map<String, Long> received = new LinkedHashMap<>();
      command.items().forEach(item -> received.merge(item.variantId(), item.quantity(), Long::sum));
      received.forEach((variantId, quantity) -> {
        JsonObject line = VariantLines.find(lines, variantId);
        long outstanding = line == null ? 0 : line.getLong("quantity") - line.getLong("received");
        if (quantity > outstanding) {
          over.add(new JsonObject().put("variantId", variantId).put("outstanding", outstanding).put("requested", quantity));
        } else {
          line.put("received", line.getLong("received") + quantity);
        }
      });
      if (!over.isEmpty()) {
        return Future.failedFuture(new ServiceError(ErrorCode.CONFLICT, "Cannot receive more than was shipped and not yet received",
          new JsonObject().put("lines", over)));
      }
      String id = transfer.getString("_id");
      String receiptId = Mongo.newId();
      boolean complete = lines.stream().allMatch(o -> ((JsonObject) o).getLong("received").equals(((JsonObject) o).getLong("quantity")));
      JsonArray items = new JsonArray();
      command.items().forEach(item -> items.add(item.toJson()));
      JsonObject receipt = new JsonObject().put("id", receiptId).put("items", items).put("note", command.note())
        .put("createdBy", by.userId()).put("createdAt", Mongo.now());
      JsonObject set = new JsonObject().put("lines", lines).put("receipts", transfer.getJsonArray("receipts", new JsonArray()).copy().add(receipt))
        .put("status", (complete ? TransferStatus.RECEIVED : TransferStatus.SHIPPED).name());
      if (complete) set.put("receivedAt", Mongo.now());
      Map<String, JsonObject> latest = new HashMap<>(locked.variants());
      return cas(unit, transfer, set).compose(after -> Steps.map(received.entrySet(), e -> move(unit, by, latest,
            VariantLines.find(lines, e.getKey()), e.getValue(), transfer.getString("toLocationId"), StockState.IN_TRANSIT,
            StockState.AVAILABLE, "transfer:" + id + ":receive:" + receiptId, day, new StockEvents.Key(StockEvents.Type.TRANSFER_RECEIVED, id)))
          .compose(movements -> StockEvents.recorded(unit, vertx, Reply.created(new JsonObject().put("receipt", Mongo.toApiValue(receipt))
            .put("transfer", TransferRepository.toApi(after))), by.tenantId(), StockEvents.Type.TRANSFER_RECEIVED, id, movements)));
    }));
  }

  /** DRAFT → CANCELLED; nothing had moved. */
  public Future<Reply> cancel(Invocation by, String transferId) {
    return underTransferLocks(by, transferId, (unit, locked) -> {
      requireStatus(locked.transfer(), TransferStatus.DRAFT, "cancelled");
      return cas(unit, locked.transfer(), new JsonObject().put("status", TransferStatus.CANCELLED.name()).put("cancelledAt", Mongo.now()))
        .map(after -> Work.Done.of(Reply.ok(TransferRepository.toApi(after))));
    });
  }

  /** A TRANSFER movement of one line's units at one location, sourced to the transfer; {@code latest} follows the variant. */
  private Future<JsonObject> move(Unit unit, Invocation by, Map<String, JsonObject> latest, JsonObject line, long units,
                                  String locationId, StockState from, StockState to, String keyPrefix, String day,
                                  StockEvents.Key event) {
    String variantId = line.getString("variantId");
    StockChange change = StockChange.move(by.tenantId(), latest.get(variantId), MovementType.TRANSFER, units, from, to,
        SourceKind.TRANSFER.source(event.sourceId()), keyPrefix + ":" + variantId, by.userId(), "transfer", day)
      .at(locationId).partOf(event);
    return ledger.applyToLatest(unit, latest, change);
  }

  private Future<Reply> underTransferLocks(Invocation by, String id, BiFunction<Unit, Locked, Future<Work.Done>> write) {
    String tenantId = by.tenantId();
    return transfers.get(tenantId, id).compose(exists -> kernel.run(Work.<Locked>of(by)
      .locking(List.of(LockKeys.transfer(tenantId, id)))
      .reading(() -> transfers.get(tenantId, id).compose(transfer -> variants.getAll(tenantId, transfer.getJsonArray("lines").stream()
          .map(l -> ((JsonObject) l).getString("variantId")).toList())
        .map(found -> new Locked(transfer, found))))
      .thenLocking(locked -> locked.variants().keySet().stream().map(v -> LockKeys.variant(tenantId, v)).toList())
      .writing(write)));
  }

  private static Future<JsonObject> cas(Unit unit, JsonObject transfer, JsonObject set) {
    return StatusChange.apply(unit, TransferRepository.COLLECTION, transfer, set, "transfer");
  }

  private static void requireStatus(JsonObject transfer, TransferStatus wanted, String action) {
    if (!wanted.name().equals(transfer.getString("status"))) {
      throw new ServiceError(ErrorCode.CONFLICT, "Transfer is " + transfer.getString("status") + "; only a " + wanted + " transfer can be "
        + action, new JsonObject().put("currentStatus", transfer.getString("status")));
    }
  }
}
