package io.stockroom.purchasing;

import io.stockroom.location.Locations;
import io.stockroom.platform.bus.BusRequest;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.Invocation;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.mongo.Mongo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** The commands of {@link PurchaseOrderService} and {@link ReceivingService}, each parsed once from its request (validated by the contract). */
public final class PurchasingCommands {
  static final String PURCHASE_ORDER_ID = "purchaseOrderId";

  private PurchasingCommands() {
  }

  /** A line as ordered (the contract's {@code PurchaseOrderItem}). */
  public record OrderedItem(String variantId, long quantity, long unitCost) {
    static List<OrderedItem> listFrom(JsonArray items) {
      return items.stream().map(JsonObject.class::cast)
        .map(item -> new OrderedItem(item.getString("variantId"), item.getLong("quantity"), item.getLong("unitCost"))).toList();
    }

    static List<OrderedItem> onePerVariant(List<OrderedItem> items) {
      requireOnePerVariant(items, OrderedItem::variantId, "Each variant may appear once per purchase order; merge the lines");
      return List.copyOf(items);
    }
  }

  /** What arrived of one variant; without a unit cost it cost what was ordered (the contract's {@code ReceiptItem}). */
  public record DeliveredItem(String variantId, long quantity, Long unitCost) {
  }

  /** A field a partial change names: its value, possibly null (cleared). A field not named is a null {@code Given}. */
  public record Given<T>(T value) {
  }

  public record CreatePurchaseOrder(Invocation by, String supplierId, List<OrderedItem> items, String locationId, Instant expectedAt,
                                    String note) {
    public CreatePurchaseOrder {
      items = OrderedItem.onePerVariant(items);
    }

    static CreatePurchaseOrder from(BusRequest request) {
      JsonObject body = request.body();
      return new CreatePurchaseOrder(request.invocation(), body.getString("supplierId"), OrderedItem.listFrom(body.getJsonArray("items")),
        body.getString("locationId", Locations.defaultId(request.tenantId())), expectedAtIn(body), body.getString("note"));
    }
  }

  /** DRAFT only, by the contract's {@code PurchaseOrderPatch}: a null supplier or item list is kept as it is. */
  public record ChangePurchaseOrder(Invocation by, String purchaseOrderId, String supplierId, List<OrderedItem> items,
                                    Given<String> note, Given<Instant> expectedAt) {
    public ChangePurchaseOrder {
      if (items != null) items = OrderedItem.onePerVariant(items);
    }

    static ChangePurchaseOrder from(BusRequest request) {
      JsonObject body = request.body();
      JsonArray items = body.getJsonArray("items");
      return new ChangePurchaseOrder(request.invocation(), request.pathParam(PURCHASE_ORDER_ID), body.getString("supplierId"),
        items == null ? null : OrderedItem.listFrom(items),
        body.containsKey("note") ? new Given<>(body.getString("note")) : null,
        body.containsKey("expectedAt") ? new Given<>(expectedAtIn(body)) : null);
    }

    /** The variants the new lines name (none when the lines are kept). */
    List<String> variantIds() {
      return items == null ? List.of() : items.stream().map(OrderedItem::variantId).toList();
    }
  }

  /** A delivery against a CONFIRMED purchase order; without a location it arrives where the order expects it. */
  public record ReceiveDelivery(Invocation by, String purchaseOrderId, List<DeliveredItem> items, String locationId, String note) {
    public ReceiveDelivery {
      items = List.copyOf(items);
      requireOnePerVariant(items, DeliveredItem::variantId, "Each variant may appear once per receipt; merge the lines");
    }

    static ReceiveDelivery from(BusRequest request) {
      JsonObject body = request.body();
      List<DeliveredItem> items = body.getJsonArray("items").stream().map(JsonObject.class::cast)
        .map(item -> new DeliveredItem(item.getString("variantId"), item.getLong("quantity"), item.getLong("unitCost"))).toList();
      return new ReceiveDelivery(request.invocation(), request.pathParam(PURCHASE_ORDER_ID), items, body.getString("locationId"),
        body.getString("note"));
    }
  }

  /** Which purchase orders a list shows: of one status, of one supplier, or both (null: any). */
  public record PurchaseOrderFilter(PurchaseOrderStatus status, String supplierId) {
    static PurchaseOrderFilter from(JsonObject query) {
      String status = query.getString("status");
      return new PurchaseOrderFilter(status == null ? null : PurchaseOrderStatus.of(status), query.getString("supplierId"));
    }
  }

  private static Instant expectedAtIn(JsonObject body) {
    String text = body.getString("expectedAt");
    return text == null ? null : Mongo.instant(Mongo.parseDate("expectedAt", text));
  }

  private static <T> void requireOnePerVariant(List<T> items, Function<T, String> variantId, String refusal) {
    Set<String> seen = new HashSet<>();
    for (T item : items) {
      if (!seen.add(variantId.apply(item))) throw new ServiceError(ErrorCode.VALIDATION, refusal);
    }
  }
}
