package io.stockroom.platform.embedded.standin;


import java.util.Arrays;
import java.util.Objects;

/**
 * One key of an {@link OrderedIndex}: the indexed values of a document (missing fields as null, one entry per element
 * of an indexed array) followed by the document's position, which makes every key unique. Range bounds use
 * {@link #LOWEST} and {@link #HIGHEST} for the values a query leaves open.
 */
record IndexEntry(Object[] values, Object position) {
  /** Sorts before every value, whatever the field's direction. */
  static final Object LOWEST = new Object() {
    @Override
    public String toString() {
      return "LOWEST";
    }
  };
  /** Sorts after every value, whatever the field's direction. */
  static final Object HIGHEST = new Object() {
    @Override
    public String toString() {
      return "HIGHEST";
    }
  };

  /** Key order: each value in its field's direction (BSON comparison order), then the position ascending. */
  static int compare(IndexEntry a, IndexEntry b, boolean[] ascending) {
    for (int i = 0; i < ascending.length; i++) {
      int order = compareValue(a.values[i], b.values[i], ascending[i]);
      if (order != 0) return order;
    }
    return compareValue(a.position, b.position, true);
  }

  private static int compareValue(Object a, Object b, boolean ascending) {
    if (a == b) return 0;
    if (a == LOWEST || b == HIGHEST) return -1;
    if (a == HIGHEST || b == LOWEST) return 1;
    int order = KeyOrder.compare(a, b);
    return ascending ? order : -order;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof IndexEntry entry && Arrays.equals(values, entry.values) && Objects.equals(position, entry.position);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(values) + Objects.hashCode(position);
  }

  @Override
  public String toString() {
    return Arrays.toString(values) + "@" + position;
  }
}
