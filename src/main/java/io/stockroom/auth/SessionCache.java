package io.stockroom.auth;

import io.stockroom.platform.cache.ChangeDroppedCache;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;

/**
 * Session checks this JVM made lately: a user's token version and role as the auth service last confirmed them, kept
 * for {@link #FRESH_MS} so that a request does not read the user on every call. A change of a user's token version,
 * role or activity drops the user's entry at once in the JVM that made it, and on every other instance through the
 * cluster-wide {@link #CHANGED} message; an entry is never older than {@link #FRESH_MS}, which bounds a lost message.
 * A check that overlapped any change is not kept.
 */
public final class SessionCache {
  public static final String CHANGED = "stockroom.auth.session.changed";
  static final long FRESH_MS = 2_000;

  private record Checked(long tokenVersion, String role) {
  }

  private static final ChangeDroppedCache<Checked> CHECKED = new ChangeDroppedCache<>(FRESH_MS, 100_000);

  private SessionCache() {
  }

  /** Drops the entries of this JVM when any instance announces a change (once per Vert.x instance is enough). */
  public static void listen(Vertx vertx) {
    CHECKED.listen(vertx, CHANGED);
  }

  /** The user changed: its checks go here at once, and everywhere else as the message arrives. */
  static void changed(EventBus bus, String tenantId, String userId) {
    CHECKED.forget(key(tenantId, userId));
    bus.publish(CHANGED, key(tenantId, userId));
  }

  /** Whether a check of this token version and role was confirmed within {@link #FRESH_MS}. */
  public static boolean confirmed(String tenantId, String userId, long tokenVersion, String role) {
    Checked checked = CHECKED.fresh(key(tenantId, userId));
    return checked != null && checked.tokenVersion() == tokenVersion && checked.role().equals(role);
  }

  /** A marker to take before asking the auth service; {@link #confirm} keeps the answer only if nothing changed since. */
  public static long changes() {
    return CHECKED.changes();
  }

  public static void confirm(String tenantId, String userId, long tokenVersion, String role, long changesBefore, long checkedAt) {
    CHECKED.keep(key(tenantId, userId), new Checked(tokenVersion, role), changesBefore, checkedAt);
  }

  private static String key(String tenantId, String userId) {
    return tenantId + ":" + userId;
  }
}
