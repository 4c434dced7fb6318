package io.stockroom.api;

import io.stockroom.auth.AuthContract;
import io.stockroom.auth.InvalidToken;
import io.stockroom.auth.SessionCache;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.BusRequest;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.security.Caller;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;

/**
 * Whether a verified token still speaks for its user: the auth service compares the token's {@code tv} claim (the
 * user's token version when it was issued; 0 when absent) and role with the user as stored now, and the answer is kept
 * a moment ({@link SessionCache}). Deactivating a user, or changing its role, moves its token version on and drops
 * the kept answers, so every token issued before stops working on the next request, on every instance. Failure modes: 401 when the session is no longer current, 503 when the auth service does not
 * answer in time.
 */
public final class Sessions {
  private final EventBus bus;
  private final long timeoutMs;

  public Sessions(EventBus bus, long timeoutMs) {
    this.bus = bus;
    this.timeoutMs = timeoutMs;
  }

  public Future<Void> check(Caller caller, JsonObject claims) {
    long tokenVersion = claims.getValue("tv") instanceof Number n ? n.longValue() : 0L;
    String role = caller.role().name();
    if (SessionCache.confirmed(caller.tenantId(), caller.userId(), tokenVersion, role)) return Future.succeededFuture();
    long changesBefore = SessionCache.changes();
    long asked = System.currentTimeMillis();
    BusRequest request = BusRequest.of(caller, null, null, new JsonObject().put("tokenVersion", tokenVersion), null);
    return bus.request(AuthContract.SESSION.address(), request, new DeliveryOptions().setSendTimeout(timeoutMs).setLocalOnly(true))
      .onSuccess(current -> SessionCache.confirm(caller.tenantId(), caller.userId(), tokenVersion, role, changesBefore, asked))
      .<Void>mapEmpty()
      .recover(err -> Future.failedFuture(err instanceof ReplyException re ? refusal(ServiceError.fromReply(re)) : err));
  }

  /** A session that ended refuses the token that was presented (the client logs in again). */
  private static ServiceError refusal(ServiceError error) {
    return error.code() == ErrorCode.UNAUTHORIZED ? InvalidToken.refused(error.detail()) : error;
  }
}
