package io.stockroom.platform.bus;

import io.vertx.core.internal.ContextInternal;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The request id that follows one API request everywhere: taken from the {@code X-Request-Id} header when it is a
 * plausible id, else generated; answered in the same header, carried in the {@link BusRequest} across the event bus,
 * and kept in the Vert.x context-local data of the request (and of the service's handling of it), so every log line
 * written for the request names it (the {@code %requestId} logback conversion).
 */
public final class RequestIds {
  public static final String HEADER = "X-Request-Id";
  private static final Object KEY = RequestIds.class;
  private static final Pattern ACCEPTED = Pattern.compile("^[A-Za-z0-9._:-]{1,128}$");

  private RequestIds() {
  }

  /** The caller's id when acceptable, else a new one. */
  public static String choose(String offered) {
    return offered != null && ACCEPTED.matcher(offered).matches() ? offered : UUID.randomUUID().toString();
  }

  /** Binds the id to the current request's context (a duplicated context: it ends with the request). */
  public static void bind(String requestId) {
    ContextInternal context = ContextInternal.current();
    if (context != null && requestId != null) context.putLocal(KEY, requestId);
  }

  /** The id bound to the current context, or null. */
  public static String current() {
    ContextInternal context = ContextInternal.current();
    return context == null ? null : context.getLocal(KEY);
  }
}
