package io.stockroom.order;

import io.stockroom.inventory.StockState;
import io.stockroom.order.Order.Allocated;
import io.stockroom.order.Order.Line;
import io.stockroom.order.OrderCommands.ReturnedItem;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.mongo.ExplicitNull;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Units of an order coming back: the order's lines as they become (the order read is left as it is) and the units
 * going back to stock. Only a PLACED order has units to give back ({@link Order#cancel}, {@link Order#returning}).
 */
record Restock(List<Line> lines, List<Back> back) {
  /** Units going back to stock: from which order line (as it is after), to which location and state. */
  record Back(Line line, String locationId, long quantity, StockState to) {
  }

  /** Units going back before the line they come from is final. */
  private record Going(int line, String locationId, long quantity, StockState to) {
  }

  /** A line asking more back than was sold and not yet returned (the 409's {@code lines}; sku null for a variant not sold). */
  private record Unreturnable(String variantId, @ExplicitNull String sku, long returnable, long requested) {
  }

  /** A cancellation: every unit not yet returned goes back to available, at the location it left. */
  static Restock cancelling(Order order) {
    List<Line> lines = new ArrayList<>(order.lines());
    List<Going> going = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Line line = lines.get(i);
      List<Allocated> allocations = new ArrayList<>();
      for (Allocated part : line.allocationsAt(order.tenantId())) {
        if (part.remaining() > 0) going.add(new Going(i, part.locationId(), part.remaining(), StockState.AVAILABLE));
        allocations.add(part.returning(part.remaining()));
      }
      lines.set(i, line.with(List.copyOf(allocations), line.quantity()));
    }
    return of(lines, going);
  }

  /**
   * A partial return: never more than sold minus already returned, per line (a 409 listing the lines asking more).
   * Units go back to the locations they left (the most recently allocated first) or to the location an item names,
   * into the state the item says.
   */
  static Restock returning(Order order, List<ReturnedItem> items) {
    List<Line> lines = new ArrayList<>(order.lines());
    requireReturnable(lines, items);
    List<Going> going = new ArrayList<>();
    for (ReturnedItem item : items) {
      int index = indexOf(lines, item.variantId());
      Line line = lines.get(index);
      List<Allocated> allocations = new ArrayList<>(line.allocationsAt(order.tenantId()));
      long left = item.quantity();
      for (int i = allocations.size() - 1; i >= 0 && left > 0; i--) {
        Allocated part = allocations.get(i);
        long take = Math.min(left, part.remaining());
        if (take <= 0) continue;
        allocations.set(i, part.returning(take));
        left -= take;
        going.add(new Going(index, item.locationId() != null ? item.locationId() : part.locationId(), take, item.to()));
      }
      lines.set(index, line.with(List.copyOf(allocations), line.returned() + item.quantity()));
    }
    return of(lines, going);
  }

  /**
   * The units going back, one entry per variant, location and state (each becomes one RETURN movement), keyed by
   * what tells the movements apart.
   */
  Map<String, Back> perMovement() {
    Map<String, Back> merged = new TreeMap<>();
    for (Back b : back) {
      String key = b.line().variantId() + ":" + b.locationId() + (b.to() == StockState.AVAILABLE ? "" : ":" + b.to().field());
      merged.merge(key, b, (x, y) -> new Back(x.line(), x.locationId(), x.quantity() + y.quantity(), x.to()));
    }
    return merged;
  }

  /** Whether every unit sold has come back. */
  boolean allReturned() {
    return lines.stream().allMatch(line -> line.returned() == line.quantity());
  }

  private static Restock of(List<Line> lines, List<Going> going) {
    List<Back> back = going.stream().map(g -> new Back(lines.get(g.line()), g.locationId(), g.quantity(), g.to())).toList();
    return new Restock(List.copyOf(lines), back);
  }

  /** The first line of the variant, or -1. */
  private static int indexOf(List<Line> lines, String variantId) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).variantId().equals(variantId)) return i;
    }
    return -1;
  }

  private static void requireReturnable(List<Line> lines, List<ReturnedItem> items) {
    Map<String, Long> unitsByVariant = new TreeMap<>();
    items.forEach(item -> unitsByVariant.merge(item.variantId(), item.quantity(), Long::sum));
    JsonArray problems = new JsonArray();
    unitsByVariant.forEach((variantId, quantity) -> {
      int index = indexOf(lines, variantId);
      Line line = index < 0 ? null : lines.get(index);
      long returnable = line == null ? 0 : line.returnable();
      if (quantity > returnable) {
        problems.add(RecordCodec.toApi(new Unreturnable(variantId, line == null ? null : line.sku(), returnable, quantity)));
      }
    });
    if (!problems.isEmpty()) {
      throw new ServiceError(ErrorCode.CONFLICT, "Cannot return more than was sold and not yet returned", Ops.where(Order.LINES, problems));
    }
  }
}
