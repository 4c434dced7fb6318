package io.stockroom.transfer;

import io.stockroom.inventory.StockProjection;
import io.stockroom.platform.bus.ServiceConsumers;
import io.stockroom.platform.kernel.StockServiceKit;
import io.stockroom.platform.kernel.StockServiceVerticle;
import io.vertx.ext.mongo.MongoClient;

import java.util.function.Function;

/** Owns stock transfers between locations. */
public class TransferVerticle extends StockServiceVerticle {
  private final Function<MongoClient, StockProjection> projection;

  public TransferVerticle(Function<MongoClient, StockProjection> projection) {
    this.projection = projection;
  }

  @Override
  protected ServiceConsumers bind(StockServiceKit kit, ServiceConsumers consumers) {
    TransferService transfers = new TransferService(vertx, kit, projection.apply(kit.mongo()));
    return consumers
      .bind(TransferContract.CREATE, kit.idempotency().wrap(transfers::create))
      .bind(TransferContract.LIST, transfers::list)
      .bind(TransferContract.GET, transfers::get)
      .bind(TransferContract.SHIP, kit.idempotency().wrap(transfers::ship))
      .bind(TransferContract.RECEIVE, kit.idempotency().wrap(transfers::receive))
      .bind(TransferContract.CANCEL, kit.idempotency().wrap(transfers::cancel));
  }
}
