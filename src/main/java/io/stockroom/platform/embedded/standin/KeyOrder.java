package io.stockroom.platform.embedded.standin;

import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.ObjectId;

import java.time.Instant;

/**
 * MongoDB's order of two index key values, as the engine's {@link ValueComparator} gives it, with the common cases
 * first: two strings, two ObjectIds or two dates compare as the comparator would compare them once it had checked
 * their types, without the checks (index searches spend most of their time comparing tenant ids, ids and dates).
 */
final class KeyOrder {
  private static final ValueComparator VALUES = ValueComparator.asc();

  private KeyOrder() {
  }

  static int compare(Object a, Object b) {
    if (a instanceof String x && b instanceof String y) return x.compareTo(y);
    if (a instanceof ObjectId x && b instanceof ObjectId y) return x.compareTo(y);
    if (a instanceof Instant x && b instanceof Instant y) return x.compareTo(y);
    return VALUES.compare(a, b);
  }
}
