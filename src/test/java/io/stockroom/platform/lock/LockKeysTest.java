package io.stockroom.platform.lock;

import io.stockroom.catalog.ProductRepository;
import io.stockroom.dashboard.DashboardContract;
import io.stockroom.inventory.Variants;
import io.stockroom.order.OrderRepository;
import io.stockroom.order.ReservationRepository;
import io.stockroom.purchasing.PurchaseOrderRepository;
import io.stockroom.supplier.SupplierRepository;
import io.stockroom.transfer.TransferRepository;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A lock key names the document it guards: the collection its owning repository writes, and the id. */
class LockKeysTest {

  @Test
  @DisplayName("each document key names its owning repository's collection and the document's id")
  void keysNameTheirDocuments() {
    assertEquals(Variants.COLLECTION, LockKeys.collectionOf(Variants.LOCK.key("t", "v1")));
    assertEquals(OrderRepository.COLLECTION, LockKeys.collectionOf(OrderRepository.LOCK.key("t", "o1")));
    assertEquals(PurchaseOrderRepository.COLLECTION, LockKeys.collectionOf(PurchaseOrderRepository.LOCK.key("t", "p1")));
    assertEquals(ReservationRepository.COLLECTION, LockKeys.collectionOf(ReservationRepository.LOCK.key("t", "r1")));
    assertEquals(TransferRepository.COLLECTION, LockKeys.collectionOf(TransferRepository.LOCK.key("t", "x1")));
    assertEquals(ProductRepository.COLLECTION, LockKeys.collectionOf(ProductRepository.LOCK.key("t", "pr1")));
    assertEquals(SupplierRepository.COLLECTION, LockKeys.collectionOf(SupplierRepository.LOCK.key("t", "s1")));
    assertEquals("v1", LockKeys.documentId(Variants.LOCK.key("t", "v1")));
    assertEquals("p1", LockKeys.documentId(PurchaseOrderRepository.LOCK.key("t", "p1")));
    assertNull(LockKeys.collectionOf(DashboardContract.LOCK.key("t")));
    assertNull(LockKeys.documentId(DashboardContract.LOCK.key("t")));
  }

  @Test
  @DisplayName("keys keep the names every release used, so instances of two releases lock the same things")
  void keysKeepTheirNames() {
    assertEquals("lock:variant:t:v1", Variants.LOCK.key("t", "v1"));
    assertEquals("lock:purchaseOrder:t:p1", PurchaseOrderRepository.LOCK.key("t", "p1"));
    assertEquals("lock:dashboard:t", DashboardContract.LOCK.key("t"));
  }

  @Test
  @DisplayName("keys are taken parents first, then documents, then the units' subjects; unknown kinds rank first")
  void theLockOrder() {
    List<String> keys = new ArrayList<>(List.of(Variants.LOCK.key("t", "a"), OrderRepository.LOCK.key("t", "z"),
      "lock:unheard-of:t:1", ProductRepository.LOCK.key("t", "p"), DashboardContract.LOCK.key("t")));
    keys.sort(java.util.Comparator.comparingInt(LockKeys::rank).thenComparing(java.util.Comparator.naturalOrder()));
    assertEquals(List.of("lock:dashboard:t", "lock:product:t:p", "lock:unheard-of:t:1", "lock:order:t:z", "lock:variant:t:a"), keys);
    assertEquals("a", LockKeys.subjectId(Variants.LOCK.key("t", "a")));
    assertNull(LockKeys.subjectId(OrderRepository.LOCK.key("t", "z")));
  }

  @Test
  @DisplayName("two kinds cannot share a name")
  void kindsAreNamedOnce() {
    assertEquals("variant", Variants.LOCK.name());
    assertThrows(IllegalStateException.class, () -> LockKind.document("variant", "somewhere_else"));
  }

  @Test
  @DisplayName("an id a client made up (braces, colons) still makes a key that parses back and has companions in its hash slot")
  void madeUpIdsStayOneSegment() {
    String odd = "a}b{c:d%7D";
    String key = Variants.LOCK.key("t:1", odd);
    assertEquals(odd, LockKeys.subjectId(key));
    assertEquals(odd, LockKeys.documentId(OrderRepository.LOCK.key("t", odd)));
    String fence = io.stockroom.platform.redis.SlotKeys.companion("fence:", key);
    assertEquals("fence:{" + key + "}", fence, "the whole key is the companion's tag");
  }
}
