package io.stockroom.auth;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

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
  private static final int MAX_ENTRIES = 100_000;

  private record Checked(long tokenVersion, String role, long at) {
  }

  private static final Map<String, Checked> CHECKED = new ConcurrentHashMap<>();
  private static final AtomicLong CHANGES = new AtomicLong();

  private SessionCache() {
  }

  /** Drops the entries of this JVM when any instance announces a change (once per Vert.x instance is enough). */
  public static void listen(Vertx vertx) {
    vertx.eventBus().<String>consumer(CHANGED, changed -> forget(changed.body()));
  }

  /** The user changed: its checks go here at once, and everywhere else as the message arrives. */
  static void changed(EventBus bus, String tenantId, String userId) {
    forget(key(tenantId, userId));
    bus.publish(CHANGED, key(tenantId, userId));
  }

  private static void forget(String key) {
    CHANGES.incrementAndGet();
    CHECKED.remove(key);
  }

  /** Whether a check of this token version and role was confirmed within {@link #FRESH_MS}. */
  public static boolean confirmed(String tenantId, String userId, long tokenVersion, String role) {
    Checked checked = CHECKED.get(key(tenantId, userId));
    return checked != null && checked.tokenVersion() == tokenVersion && checked.role().equals(role)
      && System.currentTimeMillis() - checked.at() < FRESH_MS;
  }

  /** A marker to take before asking the auth service; {@link #confirm} keeps the answer only if nothing changed since. */
  public static long changes() {
    return CHANGES.get();
  }

  public static void confirm(String tenantId, String userId, long tokenVersion, String role, long changesBefore, long checkedAt) {
    if (CHANGES.get() != changesBefore) return;
    if (CHECKED.size() >= MAX_ENTRIES) CHECKED.clear();
    CHECKED.put(key(tenantId, userId), new Checked(tokenVersion, role, checkedAt));
  }

  private static String key(String tenantId, String userId) {
    return tenantId + ":" + userId;
  }
}
