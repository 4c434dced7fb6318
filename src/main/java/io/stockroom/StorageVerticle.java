package io.stockroom;

import io.stockroom.auth.TenantRepository;
import io.stockroom.auth.UserRepository;
import io.stockroom.location.Locations;
import io.stockroom.platform.unit.Steps;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.stockroom.catalog.ProductRepository;
import io.stockroom.inventory.Variants;
import io.stockroom.inventory.StockProjection;
import io.stockroom.platform.unit.UnitJournal;
import io.stockroom.platform.unit.UnitRepairs;
import io.stockroom.platform.config.Settings;
import io.stockroom.platform.mongo.Storage;
import io.stockroom.supplier.SupplierRepository;
import io.stockroom.auth.RefreshTokens;
import io.stockroom.platform.audit.AuditTrail;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.ext.mongo.MongoClient;
import io.stockroom.inventory.InventoryService;
import io.stockroom.inventory.MovementRepository;
import io.stockroom.order.OrderRepository;
import io.stockroom.order.ReservationRepository;
import io.stockroom.transfer.TransferRepository;
import io.stockroom.platform.outbox.Outbox;
import io.stockroom.webhook.WebhookDeliveries;
import io.stockroom.webhook.Webhooks;
import io.stockroom.bulk.ImportJobs;
import io.stockroom.platform.mongo.ScopedCollection;
import io.stockroom.platform.idempotency.IdempotencyStore;
import io.stockroom.platform.unit.UnitRunners;
import io.stockroom.purchasing.PurchaseOrderRepository;
import io.stockroom.purchasing.ReceiptRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Deployed first: checks how units of work will be atomic ({@code mongo.transactions}; {@code required} on a server
 * without transactions stops the start) and creates every collection's indexes, so services start on a ready schema.
 */
public class StorageVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(StorageVerticle.class);

  @Override
  public Future<?> start() {
    Settings settings = Settings.of(config());
    MongoClient mongo = Storage.mongo(vertx, settings);
    return UnitRunners.resolveMode(mongo, settings)
      .onSuccess(transactions -> LOG.info(transactions
        ? "Units of work run as MongoDB multi-document transactions"
        : "Units of work run in compensating mode (this MongoDB has no transactions): steps are undone in reverse on failure"))
      .compose(mode -> Future.all(List.of(
        new UserRepository(mongo).createIndexes(),
        RefreshTokens.createIndexes(mongo),
        AuditTrail.createIndexes(mongo),
        new ProductRepository(mongo).createScopedIdIndex(),
        new ProductRepository(mongo).createListIndexes(List.<String[]>of(new String[] {"name"})),
        new Variants(mongo, StockProjection.NONE).createIndexes(),
        new SupplierRepository(mongo).createScopedIdIndex(),
        MovementRepository.createIndexes(mongo),
        new OrderRepository(mongo).createIndexes(),
        new PurchaseOrderRepository(mongo).createScopedIdIndex(),
        new PurchaseOrderRepository(mongo).createListIndexes(List.of(new String[] {"status"}, new String[] {"supplierId"},
          new String[] {"status", "supplierId"})),
        new ReceiptRepository(mongo).createIndexes(),
        new ScopedCollection(mongo, InventoryService.ADJUSTMENTS, "Adjustment").createScopedIdIndex(),
        IdempotencyStore.createIndexes(mongo),
        UnitRepairs.createIndexes(mongo),
        UnitJournal.createIndexes(mongo),
        new Locations(mongo).createIndexes(),
        new ReservationRepository(mongo).createIndexes(),
        new TransferRepository(mongo).createScopedIdIndex(),
        Outbox.createIndexes(mongo),
        new Webhooks(mongo).createScopedIdIndex(),
        new Webhooks(mongo).createListIndexes(List.<String[]>of(new String[] {"active"})),
        new WebhookDeliveries(mongo).createIndexes(),
        new ImportJobs(mongo).createScopedIdIndex(),
        ImportJobs.createLeaseIndex(mongo),
        io.stockroom.dashboard.DashboardProjection.createIndexes(mongo))))
      .compose(indexed -> defaultLocations(mongo));
    // dashboard_state is read by exact _id only and needs no further index.
  }

  /**
   * Migration: every tenant that signed up before locations existed gets its default location document. Its stock
   * needs no move: a variant without levels holds everything at the default location (see StockLevels).
   */
  private Future<Void> defaultLocations(MongoClient mongo) {
    Locations locations = new Locations(mongo);
    return mongo.findWithOptions(TenantRepository.COLLECTION, new JsonObject(), new FindOptions().setFields(new JsonObject().put("_id", 1)))
      .compose(tenants -> Steps.each(tenants, tenant -> locations.ensureDefault(tenant.getString("_id"))))
      .onSuccess(v -> LOG.debug("Default locations checked"));
  }
}
