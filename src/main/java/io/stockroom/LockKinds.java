package io.stockroom;

import io.stockroom.catalog.ProductRepository;
import io.stockroom.dashboard.DashboardContract;
import io.stockroom.inventory.Variants;
import io.stockroom.order.OrderRepository;
import io.stockroom.order.ReservationRepository;
import io.stockroom.platform.lock.LockKind;
import io.stockroom.purchasing.PurchaseOrderRepository;
import io.stockroom.supplier.SupplierRepository;
import io.stockroom.transfer.TransferRepository;

import java.util.List;

/**
 * Every kind of lock key the features declare. Constructed before the first lock is taken, so that a key ranks the same
 * in every process, also when it is read back from the journal by a recovery before its feature ever locked anything.
 */
final class LockKinds {
  private LockKinds() {
  }

  static List<LockKind> all() {
    return List.of(ProductRepository.LOCK, SupplierRepository.LOCK, DashboardContract.LOCK, OrderRepository.LOCK,
      PurchaseOrderRepository.LOCK, ReservationRepository.LOCK, TransferRepository.LOCK, Variants.LOCK);
  }
}
