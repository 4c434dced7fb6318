package io.stockroom;

import io.stockroom.auth.RefreshTokens;
import io.stockroom.auth.TenantRepository;
import io.stockroom.auth.UserRepository;
import io.stockroom.bulk.ImportJobs;
import io.stockroom.catalog.ProductRepository;
import io.stockroom.dashboard.DashboardTotals;
import io.stockroom.inventory.InventoryService;
import io.stockroom.inventory.MovementRepository;
import io.stockroom.inventory.Variants;
import io.stockroom.location.AllocationRules;
import io.stockroom.location.Locations;
import io.stockroom.order.OrderRepository;
import io.stockroom.order.ReservationRepository;
import io.stockroom.platform.audit.AuditTrail;
import io.stockroom.platform.idempotency.IdempotencyStore;
import io.stockroom.platform.outbox.Outbox;
import io.stockroom.platform.mongo.TenantSlots;
import io.stockroom.platform.schema.CollectionSpec;
import io.stockroom.platform.unit.UnitJournal;
import io.stockroom.platform.unit.UnitRepairs;
import io.stockroom.purchasing.PurchaseOrderRepository;
import io.stockroom.purchasing.ReceiptRepository;
import io.stockroom.supplier.SupplierRepository;
import io.stockroom.transfer.TransferRepository;
import io.stockroom.webhook.LedgerCursors;
import io.stockroom.webhook.WebhookDeliveries;
import io.stockroom.webhook.Webhooks;

import io.vertx.core.json.JsonObject;

import java.util.List;

import static io.stockroom.platform.schema.IndexSpec.expiring;
import static io.stockroom.platform.schema.IndexSpec.list;
import static io.stockroom.platform.schema.IndexSpec.of;
import static io.stockroom.platform.schema.IndexSpec.scopedId;
import static io.stockroom.platform.schema.IndexSpec.unique;
import static io.stockroom.platform.schema.IndexSpec.uniqueSparse;
import static io.stockroom.platform.schema.IndexSpec.writeIdentity;

/**
 * Every collection Stockroom uses, with its owner, shard key and indexes: the one place the schema is declared.
 * {@code java -jar stockroom.jar migrate} brings a database to it; the service checks the database against it at start.
 * A committed snapshot ({@code src/test/resources/schema-manifest.json}) makes every change a visible diff. Index names
 * are identities: never change an index's keys or options under its name; declare a new name and retire the old one.
 */
public final class SchemaManifest {
  private SchemaManifest() {
  }

  public static List<CollectionSpec> collections() {
    return List.of(
      // auth
      CollectionSpec.of(TenantRepository.COLLECTION, "auth"),
      CollectionSpec.of(UserRepository.COLLECTION, "auth")
        .index(scopedId())
        .index(unique("tenant_email_unique", "tenantId", "email"))
        .index(of("email", "email"))  // login, before a tenant is chosen: the accounts with this email
        .index(of("tenant_role_active", "tenantId", "role", "active"))
        .retire("email_unique"),
      CollectionSpec.of(RefreshTokens.COLLECTION, "auth")
        .index(of("familyId_1", "familyId"))
        .index(of("tenantId_1_userId_1", "tenantId", "userId"))
        .index(expiring("expired_tokens_ttl", "expiresAt")),
      CollectionSpec.of(RefreshTokens.FAMILIES, "auth")
        .index(of("tenantId_1_userId_1", "tenantId", "userId"))
        .index(expiring("expired_families_ttl", "expiresAt")),
      // catalog, suppliers, locations
      CollectionSpec.of(ProductRepository.COLLECTION, "catalog").shardedByTenant()
        .index(scopedId())
        .index(list("name"))
        .index(list("nameKeys")),  // GET /variants?q=: products by a prefix of their name or of a word of it
      CollectionSpec.of(SupplierRepository.COLLECTION, "supplier").shardedByTenant()
        .index(scopedId()),
      CollectionSpec.of(Locations.COLLECTION, "location")
        .index(scopedId())
        .index(unique("tenant_code_unique", "tenantId", "code"))
        .index(uniqueSparse(TenantSlots.INDEX, TenantSlots.FIELD)),  // the per-tenant cap
      CollectionSpec.of(AllocationRules.COLLECTION, "location"),
      // inventory
      CollectionSpec.of(Variants.COLLECTION, "inventory").shardedByTenant()
        .index(scopedId())
        .index(writeIdentity())
        .index(unique("tenant_sku_unique", "tenantId", "sku"))
        .index(of("tenant_product", "tenantId", "productId"))
        .index(list("productId"))
        .index(list("low"))  // the low-stock list
        .index(list("productId", "low"))  // a product's low variants
        .index(of("tenant_low_shortfall_sku",  // the dashboard's low rows, largest shortfall first
          new JsonObject().put("tenantId", 1).put("low", 1).put("shortfall", -1).put("sku", 1)))
        .index(of("tenant_lowAt_id", "tenantId", "lowAt", "_id"))  // low at one location
        .index(of("tenant_figuresPending", "tenantId", "figuresPending"))  // what the dashboard adds to its projection
        .index(of("figuresPending_tenant", "figuresPending", "tenantId"))  // the projector: tenants with pending figures
        .index(of("tenant_salesCap_id",  // top sellers, best upper bound first
          new JsonObject().put("tenantId", 1).put("salesCap", -1).put("_id", 1)))
        .index(of("lastDay_salesCap", "lastDay", "salesCap"))  // day buckets out of every window, over every tenant
        .index(list("skuKeys"))  // GET /variants?q=: by a prefix of the SKU
        .index(of("tenant_updated_id", "tenantId", "updatedAt", "_id"))  // GET /variants?updatedAfter=: changes in a stable order
        .retire("tenant_sales30_sku"),
      CollectionSpec.of(MovementRepository.COLLECTION, "inventory").shardedByTenant()
        .index(unique("tenant_source_unique", "tenantId", "sourceKey"))
        .index(of("tenant_created", "tenantId", "createdAt"))
        .index(of("tenant_variant_created", "tenantId", "variantId", "createdAt"))
        .index(list())
        .index(list("variantId"))
        .index(list("type"))
        .index(list("variantId", "type"))
        .index(list("unitId")),  // webhooks: every movement of a unit that settled
      CollectionSpec.of(InventoryService.ADJUSTMENTS, "inventory").shardedByTenant()
        .index(scopedId()),
      // orders and reservations
      CollectionSpec.of(OrderRepository.COLLECTION, "order").shardedByTenant()
        .index(scopedId())
        .index(of("tenant_created", "tenantId", "createdAt"))
        .index(list("status")),
      CollectionSpec.of(ReservationRepository.COLLECTION, "order").shardedByTenant()
        .index(scopedId())
        .index(of("status_expires", "status", "expiresAt"))  // the expiry sweep, over every tenant
        .index(of("tenant_reference", "tenantId", "reference"))
        .index(of("tenant_status_expires", "tenantId", "status", "expiresAt"))
        .index(of("tenant_reference_status_expires", "tenantId", "reference", "status", "expiresAt"))
        .index(list("status"))
        .index(list("reference"))
        .index(list("reference", "status")),
      // purchasing and transfers
      CollectionSpec.of(PurchaseOrderRepository.COLLECTION, "purchasing").shardedByTenant()
        .index(scopedId())
        .index(list("status"))
        .index(list("supplierId"))
        .index(list("status", "supplierId")),
      CollectionSpec.of(ReceiptRepository.COLLECTION, "purchasing").shardedByTenant()
        .index(scopedId())
        .index(of("tenant_po", "tenantId", "purchaseOrderId"))
        .index(list("purchaseOrderId")),
      CollectionSpec.of(TransferRepository.COLLECTION, "transfer").shardedByTenant()
        .index(scopedId())
        .index(list("status")),  // GET /transfers?status=
      // dashboard
      CollectionSpec.of(DashboardTotals.TOTALS, "dashboard")
        .index(scopedId()),
      CollectionSpec.of(DashboardTotals.DAYS, "dashboard").shardedByTenant()
        .index(scopedId()),
      // webhooks
      CollectionSpec.of(Webhooks.COLLECTION, "webhook")
        .index(scopedId())
        .index(list("active"))
        .index(uniqueSparse(TenantSlots.INDEX, TenantSlots.FIELD)),  // the per-tenant cap
      CollectionSpec.of(WebhookDeliveries.COLLECTION, "webhook").shardedByTenant()
        .index(scopedId())
        .index(unique("tenant_webhook_message_unique", "tenantId", "webhookId", "messageId"))
        .index(of("due", "status", "nextAttemptAt"))  // deliveries that are due, over every tenant
        .index(expiring("expiry", "expiresAt"))
        .index(list("webhookId"))
        .index(list("webhookId", "status"))
        .retire("webhook_message_unique"),
      CollectionSpec.of(LedgerCursors.COLLECTION, "webhook"),  // one per followed tenant, read and written by _id
      // imports
      CollectionSpec.of(ImportJobs.COLLECTION, "bulk")
        .index(scopedId())
        .index(of("status_lease", "status", "leaseUntil"))  // resuming abandoned jobs, over every tenant
        .index(list("status"))  // the tenant's running jobs, each holding a slot
        .index(uniqueSparse(TenantSlots.INDEX, TenantSlots.FIELD)),  // imports running at once per tenant
      // platform: audit, idempotency, units of work, outbox
      CollectionSpec.of(AuditTrail.COLLECTION, "platform.audit").shardedByTenant()
        .index(of("tenantId_1__id_1", "tenantId", "_id"))
        .index(list("action")),
      CollectionSpec.of(AuditTrail.MARKS, "platform.audit"),
      CollectionSpec.of(IdempotencyStore.COLLECTION, "platform.idempotency").shardedByTenant()
        .index(expiring("expires", "expiresAt"))
        .index(writeIdentity()),
      CollectionSpec.of(UnitJournal.COLLECTION, "platform.unit")
        .index(of("lease", "leaseUntil"))
        .index(of("unit-steps", "unitId", "seq")),
      CollectionSpec.of(UnitRepairs.COLLECTION, "platform.unit")
        .index(of("tenant", "tenantId"))
        .index(list()),
      CollectionSpec.of(Outbox.COLLECTION, "platform.outbox")
        .index(of("occurred", "occurredAt")));
  }
}
