package io.stockroom.inventory.kernel;

import io.stockroom.platform.bus.ServiceConsumers;
import io.stockroom.platform.bus.ServiceOperation;
import io.stockroom.platform.config.Settings;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;

import java.util.function.Supplier;

/**
 * A service verticle that changes stock: builds its {@link StockServiceKit} from the deployment config, binds its
 * operations to their event-bus addresses, counts as started once every consumer is registered, and closes the kit
 * when it stops.
 */
public abstract class StockServiceVerticle extends VerticleBase {
  private StockServiceKit kit;
  private ServiceConsumers consumers;

  /** Binds this verticle's operations; the kit lives as long as the verticle. */
  protected abstract ServiceConsumers bind(StockServiceKit kit, ServiceConsumers consumers);

  @Override
  public Future<?> start() {
    return StockServiceKit.create(vertx, Settings.of(config())).compose(created -> {
      kit = created;
      consumers = new ServiceConsumers(vertx);
      return bind(kit, consumers).ready();
    });
  }

  /**
   * Binds an idempotent background job as an internal operation, and asks this node's consumer of it to run it every
   * {@code periodMs} on whichever instance takes the period's turn first (a Redis lease that only spares redundant
   * runs; the job stays safe when several run it at once). Through the consumer, a scheduled run is logged and its
   * failures mapped as any other request's, and the job can be asked for on demand at its address.
   */
  protected void everyTurn(ServiceOperation job, long periodMs, Supplier<Future<?>> run) {
    consumers.bindInternal(job, none -> run.get());
    DeliveryOptions local = new DeliveryOptions().setLocalOnly(true).setSendTimeout(Math.max(periodMs, 1_000));
    vertx.setPeriodic(periodMs, id -> kit.locks().takeTurn(job.unitName(), periodMs).onSuccess(mine -> {
      if (mine) vertx.eventBus().request(job.address(), null, local);
    }));
  }

  @Override
  public Future<?> stop() {
    return kit == null ? Future.succeededFuture() : kit.close();
  }
}
