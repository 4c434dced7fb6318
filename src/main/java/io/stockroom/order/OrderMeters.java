package io.stockroom.order;

import io.stockroom.platform.metrics.Meters;

/** The order package's meters. */
final class OrderMeters {
  private OrderMeters() {
  }

  static void placed() {
    Meters.count("stockroom.orders.placed", "Orders placed");
  }

  static void refused() {
    Meters.count("stockroom.orders.refused", "Orders refused for lack of stock");
  }

  /** Orders placed together in one unit of work (group commit of a variant's queue). */
  static void batch(int orders) {
    Meters.record("stockroom.orders.batch", "Orders of one variant placed together in one unit", orders);
  }
}
