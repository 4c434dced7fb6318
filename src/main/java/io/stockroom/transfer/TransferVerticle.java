package io.stockroom.transfer;

import io.stockroom.inventory.kernel.StockServiceKit;
import io.stockroom.inventory.kernel.StockServiceVerticle;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.bus.ServiceConsumers;
import io.stockroom.platform.mongo.Page;
import io.stockroom.transfer.TransferCommands.CreateTransfer;
import io.stockroom.transfer.TransferCommands.ReceiveTransfer;


/**
 * Owns stock transfers between locations. The stock-changing operations parse their command inside the
 * Idempotency-Key wrapper, after the key is claimed: the command's invocation then carries the claim its unit completes.
 */
public class TransferVerticle extends StockServiceVerticle {
  private static final String TRANSFER_ID = "transferId";

  @Override
  protected ServiceConsumers bind(StockServiceKit kit, ServiceConsumers consumers) {
    TransferService transfers = new TransferService(vertx, kit);
    return consumers
      .bind(TransferContract.CREATE, kit.idempotency().wrap(request -> transfers.create(CreateTransfer.from(request))))
      .bind(TransferContract.LIST, request -> transfers.list(request.tenantId(), status(request.query().getString("status")),
        Page.from(request.query())).map(Reply::ok))
      .bind(TransferContract.GET, request -> transfers.get(request.tenantId(), request.pathParam(TRANSFER_ID))
        .map(transfer -> Reply.ok(transfer.toApi())))
      .bind(TransferContract.SHIP, kit.idempotency().wrap(request -> transfers.ship(request.invocation(), request.pathParam(TRANSFER_ID))))
      .bind(TransferContract.RECEIVE, kit.idempotency().wrap(request -> transfers.receive(ReceiveTransfer.from(request))))
      .bind(TransferContract.CANCEL, kit.idempotency().wrap(request -> transfers.cancel(request.invocation(),
        request.pathParam(TRANSFER_ID))));
  }

  /** The contract allows only the statuses' names. */
  private static TransferStatus status(String name) {
    return name == null ? null : TransferStatus.valueOf(name);
  }
}
