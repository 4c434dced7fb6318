package io.stockroom.transfer;

import io.stockroom.platform.bus.BusRequest;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.Invocation;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.mongo.RecordCodec;

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
      Body body = RecordCodec.api(Body.class).decode(request.body());
      return new CreateTransfer(request.invocation(), body.fromLocationId(), body.toLocationId(), body.items(), body.note());
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
      Body body = RecordCodec.api(Body.class).decode(request.body());
      return new ReceiveTransfer(request.invocation(), request.pathParam("transferId"), body.items(), body.note());
    }
  }

  /** A request's body as the contract validated it (a receipt names no locations). */
  private record Body(String fromLocationId, String toLocationId, List<TransferItem> items, String note) {
  }
}
