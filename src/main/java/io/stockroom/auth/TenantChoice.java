package io.stockroom.auth;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.RecordCodec;

import java.util.Comparator;
import java.util.List;

/**
 * A tenant whose account the login's password opened, as the 409 {@code tenant-choice-required} lists it (the
 * contract's {@code TenantChoice}): the client logs in again with one of the {@code tenantId}s.
 */
record TenantChoice(String tenantId, String name) {
  private static final Comparator<TenantChoice> BY_NAME = Comparator.comparing(TenantChoice::name, String.CASE_INSENSITIVE_ORDER)
    .thenComparing(TenantChoice::name).thenComparing(TenantChoice::tenantId);

  /** The 409 that asks for a choice among {@code choices}, listed by name. */
  static ServiceError required(List<TenantChoice> choices) {
    return new ServiceError(ErrorCode.TENANT_CHOICE_REQUIRED,
      "These credentials open accounts in several tenants; log in again with the tenantId of one of them",
      RecordCodec.toApi(new Members(choices.stream().sorted(BY_NAME).toList())));
  }

  /**
   * The problem's extension member (the contract's {@code TenantChoiceProblem} beside {@code Problem}). Its wire name
   * is the {@code tenants} collection's name, so it is a key, not a component name, which would make this class name
   * that collection among its string constants ({@code ArchitectureTest.oneRepositoryPerCollection}).
   */
  private record Members(@Key("tenants") List<TenantChoice> choices) {
  }
}
