package io.stockroom.transfer;

import io.stockroom.platform.mongo.Mongo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One arrival of units of a shipped transfer, with its items as the client gave them (a variant may appear twice). */
public record TransferReceipt(String id, List<TransferItem> items, String note, String createdBy, Instant createdAt) {

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

  static TransferReceipt fromDocument(JsonObject doc) {
    List<TransferItem> items = doc.getJsonArray("items").stream().map(item -> TransferItem.fromJson((JsonObject) item)).toList();
    return new TransferReceipt(doc.getString("id"), items, doc.getString("note"), doc.getString("createdBy"),
      Mongo.instant(doc.getValue("createdAt")));
  }

  JsonObject toDocument() {
    return new JsonObject().put("id", id).put("items", itemsJson()).put("note", note).put("createdBy", createdBy)
      .put("createdAt", Mongo.date(createdAt));
  }

  /** What clients see, in a transfer's receipts and in the answer that recorded it. */
  JsonObject toApi() {
    return new JsonObject().put("id", id).put("items", itemsJson()).put("note", note).put("createdBy", createdBy)
      .put("createdAt", Mongo.apiInstant(createdAt));
  }

  private JsonArray itemsJson() {
    JsonArray json = new JsonArray();
    items.forEach(item -> json.add(item.toJson()));
    return json;
  }
}
