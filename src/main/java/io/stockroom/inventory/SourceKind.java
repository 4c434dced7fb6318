package io.stockroom.inventory;

/** What caused a stock movement ({@code source.kind}); with {@code source.id} it names the document. */
public enum SourceKind {
  ORDER, ORDER_CANCELLATION, ORDER_RETURN, RECEIPT, ADJUSTMENT, COUNT, OPENING_STOCK, STATE_MOVE, RESERVATION, TRANSFER, IMPORT;

  /** {@code {kind, id}}, the movement's source. */
  public io.vertx.core.json.JsonObject source(String id) {
    return new io.vertx.core.json.JsonObject().put("kind", name()).put("id", id);
  }
}
