package io.stockroom.supplier;

import io.stockroom.platform.BusRequest;
import io.stockroom.platform.Mongo;
import io.stockroom.platform.Page;
import io.stockroom.platform.Reply;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.stockroom.platform.ErrorCode;
import io.stockroom.platform.ServiceError;

/** Supplier records of the caller's tenant. The request body was validated against openapi.yaml (no unknown fields). */
public class SupplierService {
  /** Purchase orders are owned by the purchasing feature; this service only reads whether any is still open. */
  private static final String OPEN_ORDERS_COLLECTION = "purchase_orders";

  private final SupplierRepository suppliers;
  private final MongoClient mongo;

  public SupplierService(MongoClient mongo) {
    this.mongo = mongo;
    this.suppliers = new SupplierRepository(mongo);
  }

  public Future<Reply> create(BusRequest request) {
    JsonObject supplier = request.body().copy()
      .put("_id", Mongo.newId())
      .put("tenantId", request.tenantId())
      .put("createdAt", Mongo.now());
    return suppliers.insert(supplier).map(doc -> Reply.created(Mongo.toApi(doc)));
  }

  public Future<Reply> list(BusRequest request) {
    return suppliers.page(request.tenantId(), new JsonObject(), Page.from(request.query())).map(Reply::ok);
  }

  public Future<Reply> get(BusRequest request) {
    return suppliers.get(request.tenantId(), request.pathParam("supplierId")).map(doc -> Reply.ok(Mongo.toApi(doc)));
  }

  public Future<Reply> update(BusRequest request) {
    return suppliers.patch(request.tenantId(), request.pathParam("supplierId"), request.body())
      .map(doc -> Reply.ok(Mongo.toApi(doc)));
  }

  /** A supplier with open purchase orders (DRAFT, SENT, CONFIRMED) cannot be deleted (409). */
  public Future<Reply> delete(BusRequest request) {
    String tenantId = request.tenantId();
    String supplierId = request.pathParam("supplierId");
    JsonObject openOrders = new JsonObject().put("tenantId", tenantId).put("supplierId", supplierId)
      .put("status", new JsonObject().put("$in", new JsonArray().add("DRAFT").add("SENT").add("CONFIRMED")));
    return suppliers.get(tenantId, supplierId)
      .compose(supplier -> mongo.findOne(OPEN_ORDERS_COLLECTION, openOrders, new JsonObject().put("_id", 1)))
      .compose(open -> open != null
        ? ServiceError.<Void>fail(ErrorCode.CONFLICT, "Supplier has open purchase orders; close or cancel them first")
        : suppliers.delete(tenantId, supplierId))
      .map(v -> Reply.noContent());
  }
}
