package io.stockroom.order;

import io.stockroom.location.AllocationRules;
import io.stockroom.order.OrderCommands.OrderLine;
import io.stockroom.order.OrderCommands.PlaceOrder;
import io.stockroom.platform.bus.Invocation;

import java.util.List;

/** An order to place, with what its tenant decides it by: the currency it is priced in, its day, its allocation rule. */
record NewOrder(PlaceOrder command, String currency, String day, AllocationRules.Rule rule) {
  Invocation by() {
    return command.by();
  }

  String tenantId() {
    return command.by().tenantId();
  }

  List<OrderLine> lines() {
    return command.lines();
  }
}
