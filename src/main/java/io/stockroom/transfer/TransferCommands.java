package io.stockroom.transfer;

import io.stockroom.platform.bus.BusRequest;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.Invocation;
import io.stockroom.platform.bus.ServiceError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The commands of {@link TransferService}, each parsed once from its request (validated by the contract). */
public final class TransferCommands {
  private TransferCommands() {
  }

  /** A DRAFT between two different locations, one line per variant. */
  public record CreateTransfer(Invocation by, String fromLocationId, String toLocationId, List<TransferItem> items, String note) {
    public CreateTransfer {
      items = List.copyOf(items);
      if (fromLocationId.equals(toLocationId)) {
        throw new ServiceError(ErrorCode.VALIDATION, "A transfer goes between two different locations");
      }
      if (variantIds(items).size() != items.size()) {
        throw new ServiceError(ErrorCode.VALIDATION, "Each variant may appear once per transfer; merge the lines");
      }
    }

    static CreateTransfer from(BusRequest request) {
      JsonObject body = request.body();
      return new CreateTransfer(request.invocation(), body.getString("fromLocationId"), body.getString("toLocationId"),
        parsedItems(body.getJsonArray("items")), body.getString("note"));
    }

    /** The variants of its lines, in the order given. */
    Set<String> variantIds() {
      return variantIds(items);
    }

    private static Set<String> variantIds(List<TransferItem> items) {
      Set<String> ids = new LinkedHashSet<>();
      items.forEach(item -> ids.add(item.variantId()));
      return ids;
    }
  }

  /** Units of a SHIPPED transfer arriving at its destination; a variant may be named more than once. */
  public record ReceiveTransfer(Invocation by, String transferId, List<TransferItem> items, String note) {
    public ReceiveTransfer {
      items = List.copyOf(items);
    }

    static ReceiveTransfer from(BusRequest request) {
      JsonObject body = request.body();
      return new ReceiveTransfer(request.invocation(), request.pathParam("transferId"), parsedItems(body.getJsonArray("items")),
        body.getString("note"));
    }
  }

  private static List<TransferItem> parsedItems(JsonArray items) {
    return items.stream().map(item -> TransferItem.fromJson((JsonObject) item)).toList();
  }
}
