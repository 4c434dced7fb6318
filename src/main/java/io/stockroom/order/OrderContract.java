package io.stockroom.order;

/** Event-bus addresses answered by {@link OrderVerticle}. Messages are {@code BusRequest} envelopes. */
public final class OrderContract {
  public static final String PLACE = "stockroom.orders.place";
  public static final String LIST = "stockroom.orders.list";
  public static final String GET = "stockroom.orders.get";
  public static final String CANCEL = "stockroom.orders.cancel";
  public static final String RETURN = "stockroom.orders.return";

  private OrderContract() {
  }
}
