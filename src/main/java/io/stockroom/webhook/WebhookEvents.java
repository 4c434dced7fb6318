package io.stockroom.webhook;

import io.stockroom.inventory.StockEvents;
import io.stockroom.inventory.Variants;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The event types an endpoint can subscribe to, and which of them a stock or outbox event is. */
public final class WebhookEvents {
  public static final String STOCK_CHANGED = "stock.changed";
  public static final List<String> TYPES = List.of(STOCK_CHANGED, "order.placed", "order.cancelled", "order.returned",
    "purchase_order.received", Variants.LOW_STOCK_ENTERED, Variants.LOW_STOCK_LEFT, "reservation.created",
    "reservation.released", "reservation.expired", "transfer.shipped", "transfer.received");

  private static final Map<String, String> BY_STOCK_EVENT = Map.of(
    StockEvents.Type.ORDER_PLACED.name(), "order.placed",
    StockEvents.Type.ORDER_CANCELLED.name(), "order.cancelled",
    StockEvents.Type.RETURNED.name(), "order.returned",
    StockEvents.Type.PO_RECEIVED.name(), "purchase_order.received",
    StockEvents.Type.RESERVED.name(), "reservation.created",
    StockEvents.Type.RELEASED.name(), "reservation.released",
    StockEvents.Type.EXPIRED.name(), "reservation.expired",
    StockEvents.Type.TRANSFER_SHIPPED.name(), "transfer.shipped",
    StockEvents.Type.TRANSFER_RECEIVED.name(), "transfer.received");

  private WebhookEvents() {
  }

  /**
   * The webhook types of a stock event: every one is {@code stock.changed} and, when it has one, its own type
   * ({@code order.placed}, ...).
   */
  static List<String> ofStock(StockEvents.Type type) {
    String specific = BY_STOCK_EVENT.get(type.name());
    return specific == null ? List.of(STOCK_CHANGED) : List.of(STOCK_CHANGED, specific);
  }

  /**
   * The webhook types of an outbox event: a stock event's (recorded there by older releases), or its own type, such
   * as {@code low_stock.entered} or {@code low_stock.left}; none for a type webhooks do not know.
   */
  static List<String> of(String outboxType, String stockEventType) {
    if (StockEvents.OUTBOX_TYPE.equals(outboxType)) {
      List<String> types = new ArrayList<>();
      types.add(STOCK_CHANGED);
      String specific = BY_STOCK_EVENT.get(stockEventType);
      if (specific != null) types.add(specific);
      return types;
    }
    return TYPES.contains(outboxType) ? List.of(outboxType) : List.of();
  }
}
