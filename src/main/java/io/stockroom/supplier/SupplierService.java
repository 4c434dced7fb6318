package io.stockroom.supplier;

import io.stockroom.platform.bus.BusRequest;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.bus.Reply;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

/** Supplier records of the caller's tenant. The request body was validated against openapi.yaml (no unknown fields). */
public class SupplierService {
  private final SupplierRepository suppliers;

  public SupplierService(MongoClient mongo) {
    this.suppliers = new SupplierRepository(mongo);
  }

  public Future<Reply> create(BusRequest request) {
    JsonObject supplier = request.body().copy()
      .put("_id", Mongo.newId())
      .put("tenantId", request.tenantId())
      .put("openPurchaseOrders", 0L)
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
    return suppliers.deleteUnlessOpenOrders(request.tenantId(), request.pathParam("supplierId")).map(v -> Reply.noContent());
  }
}
