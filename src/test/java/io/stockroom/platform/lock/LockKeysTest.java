package io.stockroom.platform.lock;

import io.stockroom.catalog.ProductRepository;
import io.stockroom.inventory.Variants;
import io.stockroom.order.OrderRepository;
import io.stockroom.order.ReservationRepository;
import io.stockroom.purchasing.PurchaseOrderRepository;
import io.stockroom.supplier.SupplierRepository;
import io.stockroom.transfer.TransferRepository;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A lock key names the document it guards: the collection its owning repository writes, and the id. */
class LockKeysTest {

  @Test
  @DisplayName("each document key names its owning repository's collection and the document's id")
  void keysNameTheirDocuments() {
    assertEquals(Variants.COLLECTION, LockKeys.collectionOf(LockKeys.variant("t", "v1")));
    assertEquals(OrderRepository.COLLECTION, LockKeys.collectionOf(LockKeys.order("t", "o1")));
    assertEquals(PurchaseOrderRepository.COLLECTION, LockKeys.collectionOf(LockKeys.purchaseOrder("t", "p1")));
    assertEquals(ReservationRepository.COLLECTION, LockKeys.collectionOf(LockKeys.reservation("t", "r1")));
    assertEquals(TransferRepository.COLLECTION, LockKeys.collectionOf(LockKeys.transfer("t", "x1")));
    assertEquals(ProductRepository.COLLECTION, LockKeys.collectionOf(LockKeys.product("t", "pr1")));
    assertEquals(SupplierRepository.COLLECTION, LockKeys.collectionOf(LockKeys.supplier("t", "s1")));
    assertEquals("v1", LockKeys.documentId(LockKeys.variant("t", "v1")));
    assertEquals("p1", LockKeys.documentId(LockKeys.purchaseOrder("t", "p1")));
    assertNull(LockKeys.collectionOf(LockKeys.dashboard("t")));
    assertNull(LockKeys.documentId(LockKeys.dashboard("t")));
  }

  @Test
  @DisplayName("an id a client made up (braces, colons) still makes a key that parses back and has companions in its hash slot")
  void madeUpIdsStayOneSegment() {
    String odd = "a}b{c:d%7D";
    String key = LockKeys.variant("t:1", odd);
    assertEquals(odd, LockKeys.variantId(key));
    assertEquals(odd, LockKeys.documentId(LockKeys.order("t", odd)));
    String fence = io.stockroom.platform.redis.SlotKeys.companion("fence:", key);
    assertEquals("fence:{" + key + "}", fence, "the whole key is the companion's tag");
  }
}
