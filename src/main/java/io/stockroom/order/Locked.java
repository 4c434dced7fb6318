package io.stockroom.order;

import io.stockroom.inventory.Variants;
import io.stockroom.platform.mongo.Fields;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/** An order or a reservation and the variants it names, as read under their locks. */
record Locked(JsonObject document, Map<String, JsonObject> variants) {
  List<String> variantKeys() {
    return variants.keySet().stream().map(id -> Variants.LOCK.key(document.getString(Fields.TENANT_ID), id)).toList();
  }

  /** The order read (for an order's change). */
  Order order() {
    return Order.fromDocument(document);
  }

  /** The reservation read (for a reservation's change). */
  Reservation reservation() {
    return Reservation.fromDocument(document);
  }
}
