package io.stockroom.platform.unit;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;

/**
 * A guarded write of a unit found its document no longer as the unit assumed (a remembered hint went stale, e.g. a
 * dashboard shard's floor moved). The unit rolls back as usual; the stock kernel then forgets the hint and runs the
 * unit once more under the same locks. If that fails the same way, the client gets this 503.
 */
public final class StaleRead extends ServiceError {
  private final transient Runnable forget;

  public StaleRead(String detail, Runnable forget) {
    super(ErrorCode.UNAVAILABLE, detail);
    this.forget = forget;
  }

  /** Drops the stale hint, so that the next run reads the document again. */
  public void forget() {
    forget.run();
  }
}
