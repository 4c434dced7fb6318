package io.stockroom.platform.redis;

/**
 * Key names for Redis Cluster, where a script or a multi-key command runs only when all its keys hash to one slot.
 * Redis hashes only a key's hash tag when it has one: the text between its first {@code '{'} and the next
 * {@code '}'}, if not empty. Keys that must be used together therefore share a tag (docs/redis.md).
 */
public final class SlotKeys {
  private SlotKeys() {
  }

  /**
   * A key named {@code prefix + key} in the hash slot of {@code key}: {@code key}'s own tag decides when it has one,
   * else the whole of {@code key} becomes the tag ({@code fence:{lock:variant:t:v}}). {@code prefix} holds no braces.
   *
   * @throws IllegalArgumentException for a key without a tag that holds a {@code '}'} (no name can share its slot)
   */
  public static String companion(String prefix, String key) {
    if (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) throw new IllegalArgumentException("Braces in prefix " + prefix);
    if (hasTag(key)) return prefix + key;
    if (key.indexOf('}') >= 0) throw new IllegalArgumentException("No key can share the hash slot of " + key);
    return prefix + "{" + key + "}";
  }

  /** {@code prefix{tag}rest}: a key hashed by {@code tag} alone, so that keys sharing it share a slot. */
  public static String tagged(String prefix, String tag, String rest) {
    if (tag.isEmpty() || tag.indexOf('}') >= 0 || prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
      throw new IllegalArgumentException("Not a usable hash tag: " + prefix + "{" + tag + "}");
    }
    return prefix + "{" + tag + "}" + rest;
  }

  /** Whether Redis hashes only part of {@code key} (its tag). */
  static boolean hasTag(String key) {
    int open = key.indexOf('{');
    if (open < 0) return false;
    int close = key.indexOf('}', open + 1);
    return close > open + 1;
  }
}
