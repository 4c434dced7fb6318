package io.stockroom.supplier;

import io.stockroom.platform.mongo.Page;
import io.stockroom.supplier.SupplierCommands.ChangeSupplier;
import io.stockroom.supplier.SupplierCommands.CreateSupplier;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

/** The suppliers of the caller's tenant. */
public class SupplierService {
  private final SupplierRepository suppliers;

  public SupplierService(MongoClient mongo) {
    this.suppliers = new SupplierRepository(mongo);
  }

  public Future<Supplier> create(CreateSupplier command) {
    return suppliers.insertRecord(Supplier.create(command.by().tenantId(), command.profile()));
  }

  /** One page of the tenant's suppliers, as clients see them. */
  public Future<JsonObject> list(String tenantId, Page page) {
    return suppliers.page(tenantId, new JsonObject(), page);
  }

  public Future<Supplier> get(String tenantId, String supplierId) {
    return suppliers.record(tenantId, supplierId);
  }

  public Future<Supplier> change(ChangeSupplier command) {
    return suppliers.changeRecord(command.by().tenantId(), command.supplierId(), command.changes());
  }

  /** A supplier with open purchase orders (DRAFT, SENT, CONFIRMED) cannot be deleted (409). */
  public Future<Void> delete(String tenantId, String supplierId) {
    return suppliers.deleteUnlessOpenOrders(tenantId, supplierId);
  }
}
