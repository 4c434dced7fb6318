package io.stockroom.inventory;

import io.stockroom.catalog.VariantRepository;
import io.stockroom.platform.BusRequest;
import io.stockroom.platform.ErrorCode;
import io.stockroom.platform.Mongo;
import io.stockroom.platform.Page;
import io.stockroom.platform.Reply;
import io.stockroom.platform.StockServiceKit;
import io.stockroom.platform.TenantZones;
import io.stockroom.platform.ServiceError;
import io.stockroom.platform.lock.LockManager;
import io.stockroom.platform.unit.UnitRunner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

import java.util.List;
import java.util.function.Function;

/**
 * Manual stock changes (adjustments and cycle counts), the movement ledger and the audit that checks, for every
 * variant of the tenant, that its movements add up to its stock.
 */
public class InventoryService {
  public static final String ADJUSTMENTS = "adjustments";

  private final Vertx vertx;
  private final MongoClient mongo;
  private final VariantRepository variants;
  private final MovementRepository movements;
  private final LockManager locks;
  private final UnitRunner units;
  private final TenantZones zones;

  public InventoryService(Vertx vertx, StockServiceKit kit) {
    this.vertx = vertx;
    this.mongo = kit.mongo();
    this.variants = new VariantRepository(mongo);
    this.movements = new MovementRepository(mongo);
    this.locks = kit.locks();
    this.units = kit.units();
    this.zones = kit.zones();
  }

  public Future<Reply> listMovements(BusRequest request) {
    return movements.page(request.tenantId(), request.query(), Page.from(request.query())).map(Reply::ok);
  }

  public Future<Reply> audit(BusRequest request) {
    String tenantId = request.tenantId();
    FindOptions fields = new FindOptions().setFields(new JsonObject().put("sku", 1).put("stock", 1));
    return Future.all(mongo.findWithOptions(VariantRepository.COLLECTION, new JsonObject().put("tenantId", tenantId), fields),
        movements.sumsByVariant(tenantId))
      .map(all -> {
        List<JsonObject> all0 = all.resultAt(0);
        java.util.Map<String, Long> sums = all.resultAt(1);
        JsonArray discrepancies = new JsonArray();
        for (JsonObject v : all0) {
          long stock = v.getLong("stock", 0L);
          long ledgerSum = sums.getOrDefault(v.getString("_id"), 0L);
          if (stock != ledgerSum || stock < 0) {
            discrepancies.add(new JsonObject().put("variantId", v.getString("_id")).put("sku", v.getString("sku"))
              .put("stock", stock).put("ledgerSum", ledgerSum));
          }
        }
        return Reply.ok(new JsonObject().put("checkedVariants", all0.size()).put("discrepancies", discrepancies));
      });
  }

  /** {quantity (signed, non-zero), reason}: an ADJUSTMENT movement; never below zero (409). */
  public Future<Reply> adjust(BusRequest request) {
    long quantity = request.body().getLong("quantity");
    if (quantity == 0) return ServiceError.fail(ErrorCode.VALIDATION, "quantity must not be 0");
    return underVariantLock(request, variant -> {
      long stock = variant.getLong("stock");
      if (stock + quantity < 0) {
        return Future.failedFuture(new ServiceError(ErrorCode.CONFLICT,
          "Adjustment would take " + variant.getString("sku") + " below zero (stock " + stock + ")",
          new JsonObject().put("available", stock)));
      }
      return record(request, variant, quantity, null, "inventory.adjust");
    });
  }

  /**
   * {countedQuantity, expectedQuantity}: a cycle count. If stock is no longer what the counter expected, 409 with the
   * current value (compare-and-set); otherwise an ADJUSTMENT for the difference (none when it matches).
   */
  public Future<Reply> count(BusRequest request) {
    long counted = request.body().getLong("countedQuantity");
    long expected = request.body().getLong("expectedQuantity");
    return underVariantLock(request, variant -> {
      long stock = variant.getLong("stock");
      if (stock != expected) {
        return Future.failedFuture(new ServiceError(ErrorCode.CONFLICT,
          "Stock of " + variant.getString("sku") + " is " + stock + ", not the expected " + expected + "; recount",
          new JsonObject().put("currentQuantity", stock)));
      }
      return record(request, variant, counted - expected, new JsonObject().put("countedQuantity", counted)
        .put("expectedQuantity", expected), "inventory.count");
    });
  }

  private Future<Reply> underVariantLock(BusRequest request, Function<JsonObject, Future<Reply>> work) {
    String tenantId = request.tenantId();
    String variantId = request.pathParam("variantId");
    return variants.get(tenantId, variantId).compose(found -> locks.acquire(List.of(LockManager.variantKey(tenantId, variantId)))
      .compose(lease -> variants.get(tenantId, variantId).compose(work)
        .eventually(lease::release)));
  }

  private Future<Reply> record(BusRequest request, JsonObject variant, long delta, JsonObject count, String unitName) {
    String tenantId = request.tenantId();
    String adjustmentId = Mongo.newId();
    String kind = count == null ? "ADJUSTMENT" : "COUNT";
    String reason = request.body().getString("reason", count == null ? null : "cycle count");
    JsonObject adjustment = new JsonObject()
      .put("_id", adjustmentId).put("tenantId", tenantId).put("variantId", variant.getString("_id"))
      .put("sku", variant.getString("sku")).put("kind", kind).put("quantity", delta).put("reason", reason)
      .put("createdBy", request.caller().userId()).put("createdAt", Mongo.now());
    if (count != null) adjustment.mergeIn(count);
    return zones.today(tenantId).compose(day -> {
      StockChange change = StockChange.of(tenantId, variant.getString("_id"), variant.getString("sku"), MovementType.ADJUSTMENT,
          delta, new JsonObject().put("kind", kind).put("id", adjustmentId), "adjustment:" + adjustmentId,
          request.caller().userId(), reason, day)
        .expecting(variant.getLong("stock"));
      return units.run(unitName, tenantId, unit -> (delta == 0
        ? Future.<JsonObject>succeededFuture(null)
        : StockLedger.apply(unit, mongo, change))
      .compose(movement -> {
        adjustment.put("movementId", movement == null ? null : movement.getString("_id"))
          .put("stockAfter", movement == null ? variant.getLong("stock") : movement.getLong("stockAfter"));
        return unit.insert(ADJUSTMENTS, adjustment).map(movement);
      }));
    })
      .map(movement -> {
        if (movement != null) StockEvents.publish(vertx, tenantId, StockEvents.Type.ADJUSTED, adjustmentId, List.of(movement));
        return Reply.created(Mongo.toApi(adjustment));
      });
  }
}
