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
import io.stockroom.platform.bus.BusRequest;
import io.stockroom.platform.bus.ErrorCode;
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

  /** {fromLocationId, toLocationId, items: [{variantId, quantity}], note?}: a DRAFT; the locations and variants must exist. */
  public Future<Reply> create(BusRequest request) {
    String tenantId = request.tenantId();
    JsonObject body = request.body();
    String from = body.getString("fromLocationId");
    String to = body.getString("toLocationId");
    if (from.equals(to)) return ServiceError.fail(ErrorCode.VALIDATION, "A transfer goes between two different locations");
    Map<String, Long> items = new LinkedHashMap<>();
    for (Object o : body.getJsonArray("items")) {
      JsonObject item = (JsonObject) o;
      if (items.put(item.getString("variantId"), item.getLong("quantity")) != null) {
        return ServiceError.fail(ErrorCode.VALIDATION, "Each variant may appear once per transfer; merge the lines");
      }
    }
    return locations.findAll(tenantId, List.of(from, to))
      .compose(found -> variants.getAll(tenantId, items.keySet()))
      .compose(found -> {
        JsonArray lines = new JsonArray();
        items.forEach((id, quantity) -> lines.add(new JsonObject().put("variantId", id).put("sku", found.get(id).getString("sku"))
          .put("quantity", quantity).put("received", 0L)));
        JsonObject transfer = new JsonObject().put("_id", Mongo.newId()).put("tenantId", tenantId)
          .put("fromLocationId", from).put("toLocationId", to).put("status", TransferStatus.DRAFT.name())
          .put("lines", lines).put("receipts", new JsonArray()).put("note", body.getString("note")).put("version", 0L)
          .put("createdBy", request.caller().userId()).put("createdAt", Mongo.now());
        // a unit with no locks: the transfer and the Idempotency-Key's answer are written together
        return kernel.run(Work.<Void>of(request).writing((unit, none) -> unit.insert(TransferRepository.COLLECTION, transfer)
          .map(v -> Work.Done.of(Reply.created(TransferRepository.toApi(transfer))))));
      });
  }

  public Future<Reply> list(BusRequest request) {
    return transfers.search(request.tenantId(), request.query(), Page.from(request.query())).map(Reply::ok);
  }

  public Future<Reply> get(BusRequest request) {
    return transfers.get(request.tenantId(), request.pathParam("transferId")).map(t -> Reply.ok(TransferRepository.toApi(t)));
  }

  /** DRAFT → SHIPPED: every line leaves the source's available units (all or nothing) and is in transit to the destination. */
  public Future<Reply> ship(BusRequest request) {
    return tenants.today(request.tenantId()).compose(day -> underTransferLocks(request, (unit, locked) -> {
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
            return move(unit, request, latest, line, quantity, transfer.getString("fromLocationId"), StockState.AVAILABLE, null,
                "transfer:" + id + ":ship", day, shipped)
              .compose(out -> move(unit, request, latest, line, quantity, transfer.getString("toLocationId"), null, StockState.IN_TRANSIT,
                  "transfer:" + id + ":transit", day, shipped)
                .map(in -> movements.add(out) && movements.add(in)));
          })
          .compose(v -> StockEvents.recorded(unit, vertx, Reply.ok(TransferRepository.toApi(after)), request.tenantId(),
            StockEvents.Type.TRANSFER_SHIPPED, id, movements)));
    }));
  }

  /** {items: [{variantId, quantity}], note?}: units in transit go on hand at the destination; never more than shipped. */
  public Future<Reply> receive(BusRequest request) {
    JsonArray items = request.body().getJsonArray("items");
    return tenants.today(request.tenantId()).compose(day -> underTransferLocks(request, (unit, locked) -> {
      JsonObject transfer = locked.transfer();
      requireStatus(transfer, TransferStatus.SHIPPED, "received");
      JsonArray lines = transfer.getJsonArray("lines").copy();
      JsonArray over = new JsonArray();
      Map<String, Long> received = new LinkedHashMap<>();
      for (Object o : items) {
        JsonObject item = (JsonObject) o;
        received.merge(item.getString("variantId"), item.getLong("quantity"), Long::sum);
      }
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
      JsonObject receipt = new JsonObject().put("id", receiptId).put("items", items.copy()).put("note", request.body().getString("note"))
        .put("createdBy", request.caller().userId()).put("createdAt", Mongo.now());
      JsonObject set = new JsonObject().put("lines", lines).put("receipts", transfer.getJsonArray("receipts", new JsonArray()).copy().add(receipt))
        .put("status", (complete ? TransferStatus.RECEIVED : TransferStatus.SHIPPED).name());
      if (complete) set.put("receivedAt", Mongo.now());
      Map<String, JsonObject> latest = new HashMap<>(locked.variants());
      return cas(unit, transfer, set).compose(after -> Steps.map(received.entrySet(), e -> move(unit, request, latest,
            VariantLines.find(lines, e.getKey()), e.getValue(), transfer.getString("toLocationId"), StockState.IN_TRANSIT,
            StockState.AVAILABLE, "transfer:" + id + ":receive:" + receiptId, day, new StockEvents.Key(StockEvents.Type.TRANSFER_RECEIVED, id)))
          .compose(movements -> StockEvents.recorded(unit, vertx, Reply.created(new JsonObject().put("receipt", Mongo.toApiValue(receipt))
            .put("transfer", TransferRepository.toApi(after))), request.tenantId(), StockEvents.Type.TRANSFER_RECEIVED, id, movements)));
    }));
  }

  /** DRAFT → CANCELLED; nothing had moved. */
  public Future<Reply> cancel(BusRequest request) {
    return underTransferLocks(request, (unit, locked) -> {
      requireStatus(locked.transfer(), TransferStatus.DRAFT, "cancelled");
      return cas(unit, locked.transfer(), new JsonObject().put("status", TransferStatus.CANCELLED.name()).put("cancelledAt", Mongo.now()))
        .map(after -> Work.Done.of(Reply.ok(TransferRepository.toApi(after))));
    });
  }

  /** A TRANSFER movement of one line's units at one location, sourced to the transfer; {@code latest} follows the variant. */
  private Future<JsonObject> move(Unit unit, BusRequest request, Map<String, JsonObject> latest, JsonObject line, long units,
                                  String locationId, StockState from, StockState to, String keyPrefix, String day,
                                  StockEvents.Key event) {
    String variantId = line.getString("variantId");
    String transferId = request.pathParam("transferId");
    StockChange change = StockChange.move(request.tenantId(), latest.get(variantId), MovementType.TRANSFER, units, from, to,
        SourceKind.TRANSFER.source(transferId), keyPrefix + ":" + variantId, request.caller().userId(), "transfer", day)
      .at(locationId).partOf(event);
    return ledger.applyToLatest(unit, latest, change);
  }

  private Future<Reply> underTransferLocks(BusRequest request, BiFunction<Unit, Locked, Future<Work.Done>> write) {
    String tenantId = request.tenantId();
    String id = request.pathParam("transferId");
    return transfers.get(tenantId, id).compose(exists -> kernel.run(Work.<Locked>of(request)
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
