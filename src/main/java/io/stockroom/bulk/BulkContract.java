package io.stockroom.bulk;

import io.stockroom.platform.bus.ServiceOperation;

/** Event-bus addresses answered by {@link BulkVerticle}. Export operations answer a {@code PullStream} address. */
public final class BulkContract {
  public static final ServiceOperation IMPORT = ServiceOperation.named("imports.start");
  public static final ServiceOperation IMPORT_GET = ServiceOperation.named("imports.get");
  public static final ServiceOperation IMPORT_LIST = ServiceOperation.named("imports.list");
  public static final ServiceOperation EXPORT_VARIANTS = ServiceOperation.named("exports.variants");
  public static final ServiceOperation EXPORT_STOCK_LEVELS = ServiceOperation.named("exports.stock-levels");
  public static final ServiceOperation EXPORT_MOVEMENTS = ServiceOperation.named("exports.movements");
  /** Background: imports whose instance died are marked FAILED. */
  public static final ServiceOperation FAIL_ABANDONED_IMPORTS = ServiceOperation.named("imports.fail-abandoned");

  private BulkContract() {
  }
}
