package io.stockroom.transfer;

import io.stockroom.platform.bus.ServiceOperation;

/** Event-bus addresses answered by {@link TransferVerticle}. */
public final class TransferContract {
  public static final ServiceOperation CREATE = ServiceOperation.named("transfers.create");
  public static final ServiceOperation LIST = ServiceOperation.named("transfers.list");
  public static final ServiceOperation GET = ServiceOperation.named("transfers.get");
  public static final ServiceOperation SHIP = ServiceOperation.named("transfers.ship");
  public static final ServiceOperation RECEIVE = ServiceOperation.named("transfers.receive");
  public static final ServiceOperation CANCEL = ServiceOperation.named("transfers.cancel");

  private TransferContract() {
  }
}
