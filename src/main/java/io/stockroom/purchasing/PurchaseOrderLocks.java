package io.stockroom.purchasing;

import io.stockroom.inventory.Variants;
import io.stockroom.inventory.kernel.StockKernel;
import io.stockroom.inventory.kernel.Work;
import io.stockroom.platform.bus.Invocation;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.unit.Unit;
import io.stockroom.purchasing.PurchaseOrderRepository.Stored;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The kernel path every change of an existing purchase order takes (editing, the transitions, receiving): lock the
 * order, re-read it, lock the variants it names and those the change adds, re-read and re-check, then the unit.
 */
final class PurchaseOrderLocks {
  /** A purchase order and the variants involved, as read under their locks. */
  record Locked(Stored stored, Map<String, JsonObject> variants) {
    PurchaseOrder order() {
      return stored.order();
    }
  }

  private final PurchaseOrderRepository purchaseOrders;
  private final Variants variants;
  private final StockKernel kernel;

  PurchaseOrderLocks(PurchaseOrderRepository purchaseOrders, Variants variants, StockKernel kernel) {
    this.purchaseOrders = purchaseOrders;
    this.variants = variants;
    this.kernel = kernel;
  }

  /** 404 before any lock is taken when the order does not exist. */
  Future<Reply> run(Invocation by, String purchaseOrderId, List<String> addedVariants, BiFunction<Unit, Locked, Future<Work.Done>> write) {
    String tenantId = by.tenantId();
    return purchaseOrders.find(tenantId, purchaseOrderId).compose(exists -> kernel.run(Work.<Locked>of(by)
      .locking(List.of(PurchaseOrderRepository.LOCK.key(tenantId, purchaseOrderId)))
      .reading(() -> purchaseOrders.read(tenantId, purchaseOrderId).compose(stored -> {
        Set<String> ids = new LinkedHashSet<>(stored.order().variantIds());
        ids.addAll(addedVariants);
        return variants.getAll(tenantId, ids).map(found -> new Locked(stored, found));
      }))
      .thenLocking(locked -> locked.variants().keySet().stream().map(id -> Variants.LOCK.key(tenantId, id)).toList())
      .writing(write)));
  }
}
