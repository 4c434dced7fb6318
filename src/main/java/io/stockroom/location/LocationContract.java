package io.stockroom.location;

import io.stockroom.platform.bus.ServiceOperation;

/** Event-bus addresses answered by {@link LocationVerticle}. */
public final class LocationContract {
  public static final ServiceOperation CREATE = ServiceOperation.named("locations.create");
  public static final ServiceOperation LIST = ServiceOperation.named("locations.list");
  public static final ServiceOperation GET = ServiceOperation.named("locations.get");
  public static final ServiceOperation UPDATE = ServiceOperation.named("locations.update");
  public static final ServiceOperation DELETE = ServiceOperation.named("locations.delete");
  public static final ServiceOperation GET_ALLOCATION = ServiceOperation.named("locations.allocation.get");
  public static final ServiceOperation SET_ALLOCATION = ServiceOperation.named("locations.allocation.set");

  private LocationContract() {
  }
}
