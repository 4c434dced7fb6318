package io.stockroom.platform.bus;

import io.vertx.core.json.JsonObject;

/**
 * A claimed Idempotency-Key, carried with the request on the service side (never across the bus): the record as
 * inserted (state RUNNING, version 0). The stock kernel completes it inside the unit of work, so the stored answer
 * commits (or rolls back) together with the unit.
 */
public final class IdempotencyClaim {
  /** The request header that carries the key. */
  public static final String HEADER = "Idempotency-Key";

  private final String id;
  private final JsonObject record;
  private boolean completedInUnit;

  /** The 400 of a request that must carry a key and did not ({@code message}: the contract's words for it). */
  public static ServiceError missing(String message) {
    return ServiceError.invalidParameter("header", HEADER, message, message);
  }

  /** @param id the record's id, which the unit of work that completes it names, so that recovery can release it */
  public IdempotencyClaim(String id, JsonObject record) {
    this.id = id;
    this.record = record;
  }

  public String id() {
    return id;
  }

  public JsonObject record() {
    return record;
  }

  public boolean completedInUnit() {
    return completedInUnit;
  }

  public void markCompletedInUnit() {
    completedInUnit = true;
  }
}
