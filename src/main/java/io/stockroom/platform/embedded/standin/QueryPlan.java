package io.stockroom.platform.embedded.standin;

import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import org.h2.mvstore.Cursor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static de.bwaldvogel.mongo.backend.Constants.ID_FIELD;

/**
 * How the stand-in answers a query from an {@link OrderedIndex}, as MongoDB's planner would for the shapes Stockroom
 * sends: equalities on a prefix of the index's fields, then at most a range on the next field, and the sort when it
 * follows the fields after that prefix (forwards or backwards). The walk yields candidates only: the caller still
 * matches each one against the whole query, so a plan may be loose but never misses a document.
 */
final class QueryPlan {
  private static final ValueComparator VALUES = ValueComparator.asc();
  /** The most index ranges one query walks (the product of its {@code $in} lists in the prefix); more: no plan. */
  private static final int MAX_RANGES = 10_000;

  private final OrderedIndex index;
  private final List<IndexEntry[]> ranges;
  private final Set<String> enforced;
  private final boolean reverse;
  private final boolean servesOrder;

  private QueryPlan(OrderedIndex index, List<IndexEntry[]> ranges, Set<String> enforced, boolean reverse, boolean servesOrder) {
    this.index = index;
    this.ranges = ranges;
    this.enforced = enforced;
    this.reverse = reverse;
    this.servesOrder = servesOrder;
  }

  /** Whether the walk already yields the documents in the query's sort order. */
  boolean servesOrder() {
    return servesOrder;
  }

  /** The best index for {@code query} sorted by {@code orderBy}, or null when no index narrows it or serves its order. */
  static QueryPlan choose(Document query, Document orderBy, boolean limited, List<Index<Object>> indexes) {
    Constraints constraints = Constraints.of(query);
    if (constraints == null || orderBy != null && orderBy.keySet().stream().anyMatch(field -> field.startsWith("$"))) return null;
    QueryPlan best = null;
    int bestScore = 0;
    for (Index<Object> candidate : indexes) {
      if (!(candidate instanceof OrderedIndex index) || index.isSparse()) continue;
      List<IndexKey> keys = index.getKeys();
      int equalities = 0;
      long combinations = 1;
      while (equalities < keys.size() && constraints.values.containsKey(keys.get(equalities).getKey())) {
        combinations *= constraints.values.get(keys.get(equalities).getKey()).size();
        equalities++;
      }
      if (combinations > MAX_RANGES) continue;
      boolean multikey = index.multikey();
      Range range = !multikey && equalities < keys.size() ? constraints.ranges.get(keys.get(equalities).getKey()) : null;
      Boolean backwards = multikey || (combinations > 1 && orderBy != null && !orderBy.isEmpty()) ? null
        : direction(orderBy, keys, equalities);
      boolean ordered = backwards != null && orderBy != null && !orderBy.isEmpty();
      int score = equalities * 4 + (range != null ? 2 : 0) + (ordered && limited ? 1 : 0);
      if (score > bestScore) {
        bestScore = score;
        best = new QueryPlan(index, ranges(index, constraints, equalities, range), constraints.exact(keys, equalities),
          Boolean.TRUE.equals(backwards), backwards != null);
      }
    }
    return best;
  }

  /**
   * What of {@code query} the candidates may still fail: the query without the fields the walk already holds to
   * exactly (an equality or {@code $in} of the prefix: a key equal to a non-null value holds only documents with that
   * value, or an array containing it). Ranges stay, since their ends are walked inclusively.
   */
  Document residual(Document query) {
    if (enforced.isEmpty()) return query;
    Document residual = new Document();
    query.forEach((field, condition) -> {
      if (!enforced.contains(field)) residual.put(field, condition);
    });
    return residual;
  }

  /** How many index keys the walk will visit (an array's elements each count). */
  long keysToWalk() {
    long keys = 0;
    for (IndexEntry[] range : ranges) keys += index.count(range[0], range[1]);
    return keys;
  }

  /** The candidate documents in index order, each once. */
  Stream<Document> candidates(Function<Object, Document> documents) {
    Iterator<IndexEntry[]> walks = ranges.iterator();
    Set<Object> seen = index.multikey() ? new HashSet<>() : null;
    Iterator<Document> iterator = new Iterator<>() {
      private Cursor<IndexEntry, Boolean> cursor;
      private Document next;

      @Override
      public boolean hasNext() {
        while (next == null && (cursor != null && cursor.hasNext() || walks.hasNext())) {
          if (cursor == null || !cursor.hasNext()) {
            IndexEntry[] range = walks.next();
            cursor = reverse ? index.walk(range[1], range[0], true) : index.walk(range[0], range[1], false);
            continue;
          }
          Object position = cursor.next().position();
          if (seen != null && !seen.add(position)) continue;
          next = documents.apply(position);
        }
        return next != null;
      }

      @Override
      public Document next() {
        if (!hasNext()) throw new NoSuchElementException();
        Document document = next;
        next = null;
        return document;
      }
    };
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator, Spliterator.ORDERED), false);
  }

  /**
   * Null when the index does not give {@code orderBy}'s order after its {@code equalities} prefix, else whether it
   * gives it backwards. No sort at all is served by any index (forwards).
   */
  private static Boolean direction(Document orderBy, List<IndexKey> keys, int equalities) {
    if (orderBy == null || orderBy.isEmpty()) return Boolean.FALSE;
    Boolean backwards = null;
    int next = equalities;
    for (Map.Entry<String, Object> sort : orderBy.entrySet()) {
      if (sort.getKey().startsWith("$")) return null;
      boolean ascending = !(sort.getValue() instanceof Number n) || n.intValue() >= 0;
      int position = indexOf(keys, sort.getKey());
      if (position >= 0 && position < equalities) continue;  // one value within the walk: any order
      boolean flipped;
      if (next == keys.size() && sort.getKey().equals(ID_FIELD)) {
        flipped = !ascending;  // after the fields, keys are in the order of their position: the _id, ascending
      } else if (next < keys.size() && keys.get(next).getKey().equals(sort.getKey())) {
        flipped = keys.get(next).isAscending() != ascending;
      } else {
        return null;
      }
      if (backwards == null) backwards = flipped;
      else if (backwards != flipped) return null;
      next++;
    }
    return backwards == null ? Boolean.FALSE : backwards;
  }

  private static int indexOf(List<IndexKey> keys, String field) {
    for (int i = 0; i < keys.size(); i++) if (keys.get(i).getKey().equals(field)) return i;
    return -1;
  }

  /** The [lowest, highest] keys, in index order, of each combination of the prefix's values, in index order. */
  private static List<IndexEntry[]> ranges(OrderedIndex index, Constraints constraints, int equalities, Range range) {
    List<IndexKey> keys = index.getKeys();
    List<Object[]> prefixes = new ArrayList<>();
    prefixes.add(new Object[equalities]);
    for (int i = 0; i < equalities; i++) {
      List<Object> values = new ArrayList<>(constraints.values.get(keys.get(i).getKey()));
      boolean ascending = index.ascending(i);
      values.sort((a, b) -> ascending ? VALUES.compare(a, b) : VALUES.compare(b, a));
      for (int v = values.size() - 1; v > 0; v--) {  // 1 and 1.0 are one index value: walk it once
        if (VALUES.compare(values.get(v), values.get(v - 1)) == 0) values.remove(v);
      }
      List<Object[]> expanded = new ArrayList<>();
      for (Object[] prefix : prefixes) {
        for (Object value : values) {
          Object[] copy = prefix.clone();
          copy[i] = value;
          expanded.add(copy);
        }
      }
      prefixes = expanded;
    }
    List<IndexEntry[]> ranges = new ArrayList<>(prefixes.size());
    for (Object[] prefix : prefixes) {
      ranges.add(new IndexEntry[] {bound(index, prefix, range, true), bound(index, prefix, range, false)});
    }
    return ranges;
  }

  /** The lowest ({@code lower}) or highest key, in index order, that a matching document with this prefix can have. */
  private static IndexEntry bound(OrderedIndex index, Object[] prefix, Range range, boolean lower) {
    Object[] values = new Object[index.getKeys().size()];
    for (int i = 0; i < values.length; i++) {
      if (i < prefix.length) {
        values[i] = prefix[i];
      } else if (i == prefix.length && range != null) {
        boolean wantLowValue = lower == index.ascending(i);
        Object value = wantLowValue ? range.low : range.high;
        values[i] = value != null ? value : (lower ? IndexEntry.LOWEST : IndexEntry.HIGHEST);
      } else {
        values[i] = lower ? IndexEntry.LOWEST : IndexEntry.HIGHEST;
      }
    }
    return new IndexEntry(values, lower ? IndexEntry.LOWEST : IndexEntry.HIGHEST);
  }

  /** A value interval of one field, either end open (null); its ends are included, the matcher drops what they exclude. */
  private record Range(Object low, Object high) {
  }

  /** What a query fixes of its top-level fields: the values it allows (an equality, an {@code $in}), ranges of plain bounds. */
  private record Constraints(Map<String, List<Object>> values, Map<String, Range> ranges) {
    /**
     * The first {@code equalities} fields of {@code keys} whose allowed values a key match proves: values that compare
     * equal only when the matcher says so (not null, which also matches a missing field; not a fractional number,
     * which the comparator may round against a long).
     */
    Set<String> exact(List<IndexKey> keys, int equalities) {
      Set<String> exact = new HashSet<>();
      for (int i = 0; i < equalities; i++) {
        String field = keys.get(i).getKey();
        if (values.get(field).stream().allMatch(Constraints::exactlyComparable)) exact.add(field);
      }
      return exact;
    }

    private static boolean exactlyComparable(Object value) {
      return value instanceof String || value instanceof Boolean || value instanceof Integer || value instanceof Long
        || value instanceof ObjectId || value instanceof Instant;
    }

    /** Null when the query has nothing an index walk could use. */
    static Constraints of(Document query) {
      Map<String, List<Object>> values = new HashMap<>();
      Map<String, Range> ranges = new HashMap<>();
      for (Map.Entry<String, Object> field : query.entrySet()) {
        String name = field.getKey();
        Object value = field.getValue();
        if (name.startsWith("$")) continue;
        if (value instanceof Document condition) {
          if (condition.keySet().equals(Set.of("$eq")) && plain(condition.get("$eq"))) {
            values.put(name, Collections.singletonList(condition.get("$eq")));
          } else if (condition.keySet().equals(Set.of("$in")) && condition.get("$in") instanceof Collection<?> in
            && !in.isEmpty() && in.stream().allMatch(Constraints::plain)) {
            values.put(name, new ArrayList<>(new LinkedHashSet<>(in)));
          } else {
            Range range = range(condition);
            if (range != null) ranges.put(name, range);
          }
        } else if (plain(value)) {
          values.put(name, Collections.singletonList(value));
        }
      }
      return values.isEmpty() && ranges.isEmpty() ? null : new Constraints(values, ranges);
    }

    private static Range range(Document condition) {
      Object low = null;
      Object high = null;
      for (Map.Entry<String, Object> operator : condition.entrySet()) {
        Object bound = operator.getValue();
        if (!plain(bound) || bound == null) return null;
        switch (operator.getKey()) {
          case "$gt", "$gte" -> low = bound;
          case "$lt", "$lte" -> high = bound;
          default -> {
            return null;
          }
        }
      }
      return low == null && high == null ? null : new Range(low, high);
    }

    /** A value an index key can equal: not a sub-document, array, regular expression or missing. */
    private static boolean plain(Object value) {
      return !(value instanceof Document) && !(value instanceof Collection<?>) && !(value instanceof Missing)
        && !BsonRegularExpression.isRegularExpression(value);
    }
  }
}
