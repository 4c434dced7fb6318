package io.stockroom.platform.schema;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;

/** Whether this instance found its database matching the manifest; readiness stays DOWN until it does. */
public final class SchemaStatus {
  private static final String MAP = "stockroom.schema";
  private static final String READY = "ready";

  private SchemaStatus() {
  }

  public static void set(Vertx vertx, boolean ready) {
    map(vertx).put(READY, ready);
  }

  public static boolean ready(Vertx vertx) {
    return Boolean.TRUE.equals(map(vertx).get(READY));
  }

  private static LocalMap<String, Boolean> map(Vertx vertx) {
    return vertx.sharedData().getLocalMap(MAP);
  }
}
