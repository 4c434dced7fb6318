package io.stockroom.platform.redis;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Key names that share a hash slot (RedisClusterTest checks them against a real cluster's CLUSTER KEYSLOT). */
class SlotKeysTest {
  @Test
  @DisplayName("a companion key takes the key's own tag, or the whole key as its tag")
  void companions() {
    assertEquals("fence:{lock:variant:t:v}", SlotKeys.companion("fence:", "lock:variant:t:v"));
    assertEquals("fence:rl:{t}:user:u", SlotKeys.companion("fence:", "rl:{t}:user:u"));
    // an empty tag does not count (Redis hashes the whole key), and no tag can hold a '}'
    assertThrows(IllegalArgumentException.class, () -> SlotKeys.companion("fence:", "a{}b"));
    assertThrows(IllegalArgumentException.class, () -> SlotKeys.companion("fence:", "a}b"));
    assertEquals("fence:{a{b}", SlotKeys.companion("fence:", "a{b"));
    assertThrows(IllegalArgumentException.class, () -> SlotKeys.companion("{x}", "k"));
  }

  @Test
  @DisplayName("a tagged key refuses a tag Redis would not use whole")
  void tagged() {
    assertEquals("rl:{t1}:user:u1", SlotKeys.tagged("rl:", "t1", ":user:u1"));
    assertThrows(IllegalArgumentException.class, () -> SlotKeys.tagged("rl:", "", ":x"));
    assertThrows(IllegalArgumentException.class, () -> SlotKeys.tagged("rl:", "a}b", ":x"));
  }
}
