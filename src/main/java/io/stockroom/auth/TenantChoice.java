package io.stockroom.auth;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Comparator;
import java.util.List;

/**
 * A tenant whose account the login's password opened, as the 409 {@code tenant-choice-required} lists it (the
 * contract's {@code TenantChoice}): the client logs in again with one of the {@code tenantId}s.
 */
record TenantChoice(String tenantId, String name) {
  static final String MEMBER = "tenants";
  private static final Comparator<TenantChoice> BY_NAME = Comparator.comparing(TenantChoice::name, String.CASE_INSENSITIVE_ORDER)
    .thenComparing(TenantChoice::name).thenComparing(TenantChoice::tenantId);

  /** The 409 that asks for a choice among {@code choices}, listed by name. */
  static ServiceError required(List<TenantChoice> choices) {
    JsonArray tenants = new JsonArray();
    choices.stream().sorted(BY_NAME).forEach(choice -> tenants.add(RecordCodec.toApi(choice)));
    return new ServiceError(ErrorCode.TENANT_CHOICE_REQUIRED,
      "These credentials open accounts in several tenants; log in again with the tenantId of one of them",
      new JsonObject().put(MEMBER, tenants));
  }
}
