package io.stockroom.inventory;

/** What caused a stock movement ({@code source.kind}); with {@code source.id} it names the document. */
public enum SourceKind {
  ORDER, ORDER_CANCELLATION, ORDER_RETURN, RECEIPT, ADJUSTMENT, COUNT, OPENING_STOCK, STATE_MOVE, RESERVATION, TRANSFER, IMPORT;

  /** {@code {kind, id}}, the movement's source. */
  public io.vertx.core.json.JsonObject source(String id) {
    return io.stockroom.platform.mongo.RecordCodec.toDocument(new Source(this, id));
  }

  /** A movement's {@code source}: what kind of document caused it, and which. */
  public record Source(SourceKind kind, String id) {
  }
}
