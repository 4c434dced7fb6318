package io.stockroom.transfer;

import io.stockroom.platform.mongo.ExplicitNull;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One arrival of units of a shipped transfer, with its items as the client gave them (a variant may appear twice).
 * Stored inside its transfer and shown alike (a receipt without a note stores and shows it as null).
 */
public record TransferReceipt(String id, List<TransferItem> items, @ExplicitNull String note, @ExplicitNull String createdBy,
                              Instant createdAt) {

  public TransferReceipt {
    items = List.copyOf(items);
  }

  static TransferReceipt of(List<TransferItem> items, String note, String createdBy, Instant at) {
    return new TransferReceipt(Mongo.newId(), items, note, createdBy, at);
  }

  /** The units each variant puts on hand, in the order the variants were first named. */
  Map<String, Long> unitsByVariant() {
    Map<String, Long> units = new LinkedHashMap<>();
    items.forEach(item -> units.merge(item.variantId(), item.quantity(), Long::sum));
    return units;
  }


  /** What clients see, in a transfer's receipts and in the answer that recorded it. */
  JsonObject toApi() {
    return RecordCodec.toApi(this);
  }
}
