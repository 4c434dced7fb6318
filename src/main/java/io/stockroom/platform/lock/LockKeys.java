package io.stockroom.platform.lock;

import java.util.HashMap;
import java.util.Map;

/**
 * What a lock key says, whatever feature declared its {@link LockKind}: keys read {@code lock:<kind>:<tenant>[:<id>]},
 * are taken in one global order (by their kind's rank, then by name), and name the document they guard. A key of a
 * kind this process never constructed ranks first and guards no known document.
 */
public final class LockKeys {
  static final String PREFIX = "lock:";

  private LockKeys() {
  }

  /**
   * An id as one key segment. Real ids are hex, but a client may send any text as an id (it then answers 404): the
   * characters that would end a segment or form a Redis Cluster hash tag are escaped, so every key parses back and
   * has companions in its hash slot.
   */
  static String segment(String id) {
    if (id.indexOf('%') < 0 && id.indexOf(':') < 0 && id.indexOf('{') < 0 && id.indexOf('}') < 0) return id;
    return id.replace("%", "%25").replace(":", "%3A").replace("{", "%7B").replace("}", "%7D");
  }

  private static String unescape(String segment) {
    if (segment.indexOf('%') < 0) return segment;
    return segment.replace("%7D", "}").replace("%7B", "{").replace("%3A", ":").replace("%25", "%");
  }

  private static String lastSegment(String key) {
    return unescape(key.substring(key.lastIndexOf(':') + 1));
  }

  /** The id of a unit's subject (a variant) a key guards, or null for other keys. */
  public static String subjectId(String key) {
    LockKind kind = LockKind.of(key);
    return kind != null && kind.rank() == LockKind.Rank.SUBJECT ? lastSegment(key) : null;
  }

  /** The collection of the document a key guards, or null for a key that guards no one document. */
  public static String collectionOf(String key) {
    LockKind kind = LockKind.of(key);
    return kind == null ? null : kind.collection();
  }

  /** The id of the document a key guards (its last segment), or null for a key that guards no one document. */
  public static String documentId(String key) {
    return collectionOf(key) == null ? null : lastSegment(key);
  }

  /** Values kept by lock key ({@code fences}), by the id of the document each key guards; keys guarding none drop out. */
  public static <V> Map<String, V> byDocument(Map<String, V> byKey) {
    Map<String, V> byDocument = new HashMap<>();
    byKey.forEach((key, value) -> {
      String documentId = documentId(key);
      if (documentId != null) byDocument.put(documentId, value);
    });
    return byDocument;
  }

  static int rank(String key) {
    LockKind kind = LockKind.of(key);
    return kind == null ? 0 : kind.rank().ordinal();
  }
}
