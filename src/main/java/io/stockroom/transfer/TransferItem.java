package io.stockroom.transfer;

/**
 * Units of one variant, as a client names them in a transfer or a receipt (the contract's {@code TransferItem}); a
 * receipt stores and shows them as given, by {@link io.stockroom.platform.mongo.RecordCodec}.
 */
public record TransferItem(String variantId, long quantity) {
}
