package io.stockroom.platform.bus;

import io.stockroom.platform.security.Caller;

/**
 * Who asks for an operation and how, apart from what is asked: the verified caller, the request's id and client
 * address (logs, audit), the operation that received it, its Idempotency-Key claim and when its caller started to
 * wait. A command carries one; a use case never sees the envelope its command came in.
 */
public record Invocation(Caller caller, String requestId, String clientAddress, ServiceOperation operation,
                         IdempotencyClaim claim, long receivedAt) {

  public String tenantId() {
    return caller.tenantId();
  }

  public String userId() {
    return caller.userId();
  }
}
