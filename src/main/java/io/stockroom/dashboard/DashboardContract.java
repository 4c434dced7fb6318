package io.stockroom.dashboard;

import io.stockroom.platform.bus.ServiceOperation;
import io.stockroom.platform.lock.LockKind;

/**
 * Event-bus addresses answered by {@link DashboardVerticle}. Messages are {@code BusRequest} envelopes; each operation names its
 * address, unit and idempotency scope once.
 */
public final class DashboardContract {
  public static final ServiceOperation GET = ServiceOperation.named("dashboard.get");
  /** Internal (management port): {@code {tenantId, fix}} answers {@link ProjectionCheck}'s report. */
  public static final ServiceOperation PROJECTION_CHECK = ServiceOperation.named("dashboard.projection.check");
  /** Background: the projector folds the variants' changed figures into the dashboard totals. */
  public static final ServiceOperation PROJECT = ServiceOperation.named("dashboard.project");
  /** The lock of a tenant's dashboard figures: its projector's passes take it. */
  public static final LockKind LOCK = LockKind.parent("dashboard", null);

  private DashboardContract() {
  }
}
