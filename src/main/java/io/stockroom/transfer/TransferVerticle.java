package io.stockroom.transfer;

import io.stockroom.platform.bus.ServiceConsumers;
import io.stockroom.platform.kernel.StockServiceKit;
import io.stockroom.platform.kernel.StockServiceVerticle;


/** Owns stock transfers between locations. */
public class TransferVerticle extends StockServiceVerticle {
  @Override
  protected ServiceConsumers bind(StockServiceKit kit, ServiceConsumers consumers) {
    TransferService transfers = new TransferService(vertx, kit);
    return consumers
      .bind(TransferContract.CREATE, kit.idempotency().wrap(transfers::create))
      .bind(TransferContract.LIST, transfers::list)
      .bind(TransferContract.GET, transfers::get)
      .bind(TransferContract.SHIP, kit.idempotency().wrap(transfers::ship))
      .bind(TransferContract.RECEIVE, kit.idempotency().wrap(transfers::receive))
      .bind(TransferContract.CANCEL, kit.idempotency().wrap(transfers::cancel));
  }
}
