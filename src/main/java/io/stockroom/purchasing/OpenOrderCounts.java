package io.stockroom.purchasing;

import io.stockroom.inventory.Variants;
import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.unit.Steps;
import io.stockroom.platform.unit.Unit;
import io.stockroom.supplier.SupplierRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * What an open purchase order counts for elsewhere, written in its units: each of its variants and its supplier count
 * it among their open purchase orders (so they cannot be deleted meanwhile), and its variants' {@code incoming} holds
 * what is still to come.
 */
final class OpenOrderCounts {
  private final Variants variants;
  private final SupplierRepository suppliers;

  OpenOrderCounts(Variants variants, SupplierRepository suppliers) {
    this.variants = variants;
    this.suppliers = suppliers;
  }

  Future<Void> opened(Unit unit, PurchaseOrder order, Map<String, JsonObject> lineVariants) {
    return suppliers.openOrdersChanged(unit, order.tenantId(), order.supplierId(), 1)
      .compose(v -> Steps.each(lineVariants.values(), variant -> variants.purchaseOrderChanged(unit, variant, 1, 0, order.locationId())));
  }

  /** The order is no longer open: its variants and supplier count one open order less, and lose {@code incomingChange}. */
  Future<Void> ended(Unit unit, PurchaseOrder order, Map<String, JsonObject> variantsAsRead, Map<String, Long> incomingChange) {
    return Steps.each(order.variantIds(), id -> variants.purchaseOrderChanged(unit, variantsAsRead.get(id), -1,
        incomingChange.getOrDefault(id, 0L), order.locationId()))
      .compose(v -> suppliers.openOrdersChanged(unit, order.tenantId(), order.supplierId(), -1));
  }

  /** The order stays open: its variants' {@code incoming} moves by {@code incomingChange}. */
  Future<Void> incomingChanged(Unit unit, PurchaseOrder order, Map<String, JsonObject> variantsAsRead, Map<String, Long> incomingChange) {
    return Steps.each(variantsAsRead.values(), variant -> {
      long delta = incomingChange.getOrDefault(variant.getString(Fields.ID), 0L);
      return delta == 0 ? Future.succeededFuture() : variants.purchaseOrderChanged(unit, variant, 0, delta, order.locationId());
    });
  }

  /** A DRAFT's supplier changed: the new one counts it, the old one no longer. */
  Future<Void> supplierChanged(Unit unit, PurchaseOrder before, PurchaseOrder after) {
    if (before.supplierId().equals(after.supplierId())) return Future.succeededFuture();
    return suppliers.openOrdersChanged(unit, after.tenantId(), after.supplierId(), 1)
      .compose(v -> suppliers.openOrdersChanged(unit, before.tenantId(), before.supplierId(), -1));
  }

  /** A DRAFT's lines changed: variants it names now count it, variants it no longer names do not. */
  Future<Void> linesChanged(Unit unit, PurchaseOrder before, PurchaseOrder after, Map<String, JsonObject> variantsAsRead) {
    return Steps.each(variantsAsRead.values(), variant -> {
      String id = variant.getString(Fields.ID);
      long delta = (after.variantIds().contains(id) ? 1 : 0) - (before.variantIds().contains(id) ? 1 : 0);
      return delta == 0 ? Future.succeededFuture() : variants.purchaseOrderChanged(unit, variant, delta, 0, before.locationId());
    });
  }
}
