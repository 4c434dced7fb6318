package io.stockroom.transfer;

/**
 * The units of one variant a transfer moves, and how many of them arrived so far; stored and shown alike (the
 * contract's Transfer line), by {@link io.stockroom.platform.mongo.RecordCodec} as part of its {@link Transfer}.
 */
public record TransferLine(String variantId, String sku, long quantity, long received) {

  /** Shipped and not yet received: in transit while the transfer is SHIPPED. */
  public long outstanding() {
    return quantity - received;
  }

  TransferLine receiving(long units) {
    return new TransferLine(variantId, sku, quantity, received + units);
  }
}
