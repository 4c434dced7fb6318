package io.stockroom.platform.lock;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A kind of lock key, declared by the feature whose documents it guards: keys read {@code lock:<name>:<tenant>:<id>}.
 * Its rank places it in the one global order in which keys are taken (parents, then documents, then the units'
 * subjects); {@code collection} is where the guarded document lives (null for a key that guards no one document), so
 * that the kernel can tell which writes a key covers. Kinds are known by name once constructed; the composition root
 * constructs them all before the first lock is taken.
 */
public record LockKind(String name, Rank rank, String collection) {
  /** The order in which keys are taken: every parent before any document, every document before any subject. */
  public enum Rank { PARENT, DOCUMENT, SUBJECT }

  private static final Map<String, LockKind> BY_PREFIX = new ConcurrentHashMap<>();

  public LockKind {
    LockKind earlier = BY_PREFIX.putIfAbsent(LockKeys.PREFIX + name + ":", this);
    if (earlier != null && !earlier.equals(this)) throw new IllegalStateException("Two lock kinds named " + name);
  }

  /** A parent: taken before the documents under it (a product before its variants). */
  public static LockKind parent(String name, String collection) {
    return new LockKind(name, Rank.PARENT, collection);
  }

  /** A document that names subjects (an order, a transfer): taken before them. */
  public static LockKind document(String name, String collection) {
    return new LockKind(name, Rank.DOCUMENT, collection);
  }

  /** The subject of stock units (a variant): taken last. */
  public static LockKind subject(String name, String collection) {
    return new LockKind(name, Rank.SUBJECT, collection);
  }

  /** The key of one document of a tenant. */
  public String key(String tenantId, String id) {
    return LockKeys.PREFIX + name + ":" + LockKeys.segment(tenantId) + ":" + LockKeys.segment(id);
  }

  /** The key of something a tenant has one of (its dashboard). */
  public String key(String tenantId) {
    return LockKeys.PREFIX + name + ":" + LockKeys.segment(tenantId);
  }

  /** The kind of a key, or null for a key of a kind not constructed in this process. */
  static LockKind of(String key) {
    int end = key.indexOf(':', LockKeys.PREFIX.length());
    return end < 0 ? null : BY_PREFIX.get(key.substring(0, end + 1));
  }
}
