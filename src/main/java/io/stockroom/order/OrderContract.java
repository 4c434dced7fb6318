package io.stockroom.order;

import io.stockroom.platform.bus.ServiceOperation;

/**
 * Event-bus addresses answered by {@link OrderVerticle}. Messages are {@code BusRequest} envelopes; each operation names its
 * address, unit and idempotency scope once.
 */
public final class OrderContract {
  public static final ServiceOperation PLACE = ServiceOperation.named("orders.place");
  public static final ServiceOperation LIST = ServiceOperation.named("orders.list");
  public static final ServiceOperation GET = ServiceOperation.named("orders.get");
  public static final ServiceOperation CANCEL = ServiceOperation.named("orders.cancel");
  public static final ServiceOperation RETURN = ServiceOperation.named("orders.return");
  public static final ServiceOperation RESERVE = ServiceOperation.named("reservations.create");
  public static final ServiceOperation RESERVATIONS_LIST = ServiceOperation.named("reservations.list");
  public static final ServiceOperation RESERVATIONS_GET = ServiceOperation.named("reservations.get");
  public static final ServiceOperation RELEASE = ServiceOperation.named("reservations.release");
  /** Background: reservations past their expiry give their stock back. */
  public static final ServiceOperation EXPIRE_RESERVATIONS = ServiceOperation.named("reservations.expire");

  private OrderContract() {
  }
}
