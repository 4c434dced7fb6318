package io.stockroom.purchasing;

import io.stockroom.location.Locations;
import io.stockroom.platform.bus.BusRequest;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.Invocation;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** The commands of {@link PurchaseOrderService} and {@link ReceivingService}, each parsed once from its request (validated by the contract). */
public final class PurchasingCommands {
  static final String PURCHASE_ORDER_ID = "purchaseOrderId";
  private static final String NOTE = "note";
  private static final String EXPECTED_AT = "expectedAt";

  private PurchasingCommands() {
  }

  /** A line as ordered (the contract's {@code PurchaseOrderItem}). */
  public record OrderedItem(String variantId, long quantity, long unitCost) {
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
      Body body = Body.of(request);
      return new CreatePurchaseOrder(request.invocation(), body.supplierId(), body.items(),
        body.locationId() == null ? Locations.defaultId(request.tenantId()) : body.locationId(), body.expectedAt(), body.note());
    }
  }

  /** DRAFT only, by the contract's {@code PurchaseOrderPatch}: a null supplier or item list is kept as it is. */
  public record ChangePurchaseOrder(Invocation by, String purchaseOrderId, String supplierId, List<OrderedItem> items,
                                    Given<String> note, Given<Instant> expectedAt) {
    public ChangePurchaseOrder {
      if (items != null) items = OrderedItem.onePerVariant(items);
    }

    static ChangePurchaseOrder from(BusRequest request) {
      Body body = Body.of(request);
      return new ChangePurchaseOrder(request.invocation(), request.pathParam(PURCHASE_ORDER_ID), body.supplierId(), body.items(),
        request.body().containsKey(NOTE) ? new Given<>(body.note()) : null,
        request.body().containsKey(EXPECTED_AT) ? new Given<>(body.expectedAt()) : null);
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
      Delivery body = RecordCodec.api(Delivery.class).decode(request.body());
      return new ReceiveDelivery(request.invocation(), request.pathParam(PURCHASE_ORDER_ID), body.items(), body.locationId(),
        body.note());
    }
  }

  /** Which purchase orders a list shows: of one status, of one supplier, or both (null: any). */
  public record PurchaseOrderFilter(PurchaseOrderStatus status, String supplierId) {
    static PurchaseOrderFilter from(JsonObject query) {
      return RecordCodec.api(PurchaseOrderFilter.class).decode(query);
    }
  }

  /** A purchase order's body as the contract validated it (a patch may leave any field out). */
  private record Body(String supplierId, List<OrderedItem> items, String locationId, @Key(EXPECTED_AT) String expectedAtText,
                      String note) {
    static Body of(BusRequest request) {
      return RecordCodec.api(Body.class).decode(request.body());
    }

    /** The expected date, or a 400 naming the field when it is not an instant a BSON date keeps. */
    Instant expectedAt() {
      return expectedAtText == null ? null : Mongo.instant(Mongo.parseDate(EXPECTED_AT, expectedAtText));
    }
  }

  /** A receipt's body (the contract's {@code ReceiptRequest}). */
  private record Delivery(List<DeliveredItem> items, String locationId, String note) {
  }

  private static <T> void requireOnePerVariant(List<T> items, Function<T, String> variantId, String refusal) {
    Set<String> seen = new HashSet<>();
    for (T item : items) {
      if (!seen.add(variantId.apply(item))) throw new ServiceError(ErrorCode.VALIDATION, refusal);
    }
  }
}
