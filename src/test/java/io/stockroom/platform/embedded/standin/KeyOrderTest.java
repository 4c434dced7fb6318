package io.stockroom.platform.embedded.standin;

import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.ObjectId;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The shortcut order of index keys is the engine's order, for the types it shortcuts and for every mix of types. */
class KeyOrderTest {
  @Test
  void sameOrderAsTheEnginesComparator() {
    Random random = new Random(11);
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      values.add(randomString(random));
      values.add(new ObjectId(String.format("%024x", random.nextLong() & Long.MAX_VALUE)));
      values.add(Instant.ofEpochMilli(1_700_000_000_000L + random.nextInt(1_000_000) - 500_000));
    }
    values.addAll(List.of(1, 2L, 2.5, -3, true, false, "", "a", "A", "é", "\uD83D\uDE00", "\uFFFF"));
    values.add(null);
    ValueComparator engine = ValueComparator.asc();
    for (Object a : values) {
      for (Object b : values) {
        assertEquals(Integer.signum(engine.compare(a, b)), Integer.signum(KeyOrder.compare(a, b)), a + " against " + b);
      }
    }
  }

  private static String randomString(Random random) {
    StringBuilder text = new StringBuilder();
    for (int i = random.nextInt(6); i > 0; i--) text.append((char) (random.nextBoolean() ? 'a' + random.nextInt(26) : 0x00c0 + random.nextInt(0x3000)));
    return text.toString();
  }
}
