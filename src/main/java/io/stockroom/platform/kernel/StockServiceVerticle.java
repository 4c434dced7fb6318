package io.stockroom.platform.kernel;

import io.stockroom.platform.bus.ServiceConsumers;
import io.stockroom.platform.config.Settings;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

import java.util.function.Supplier;

/**
 * A service verticle that changes stock: builds its {@link StockServiceKit} from the deployment config, binds its
 * operations to their event-bus addresses, counts as started once every consumer is registered, and closes the kit
 * when it stops.
 */
public abstract class StockServiceVerticle extends VerticleBase {
  private StockServiceKit kit;

  /** Binds this verticle's operations; the kit lives as long as the verticle. */
  protected abstract ServiceConsumers bind(StockServiceKit kit, ServiceConsumers consumers);

  @Override
  public Future<?> start() {
    return StockServiceKit.create(vertx, Settings.of(config())).compose(created -> {
      kit = created;
      return bind(kit, new ServiceConsumers(vertx)).ready();
    });
  }

  /**
   * Runs an idempotent background job every {@code periodMs} on whichever instance takes the period's turn first
   * (a Redis lease that only spares redundant runs; the job stays safe when several run it at once).
   */
  protected void everyTurn(String job, long periodMs, Supplier<Future<?>> run) {
    vertx.setPeriodic(periodMs, id -> kit.locks().takeTurn(job, periodMs).onSuccess(mine -> {
      if (mine) run.get();
    }));
  }

  @Override
  public Future<?> stop() {
    return kit == null ? Future.succeededFuture() : kit.close();
  }
}
