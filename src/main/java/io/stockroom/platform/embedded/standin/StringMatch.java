package io.stockroom.platform.embedded.standin;

import de.bwaldvogel.mongo.backend.QueryMatcher;
import de.bwaldvogel.mongo.bson.Document;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A match of top-level fields against strings only ({@code {tenantId: "t", variantId: {$in: [...]}}}, the shape of
 * the ledger's aggregations), decided by hash lookups. The engine's matcher compares a value with each element of an
 * {@code $in} list in turn, which made it the largest cost of summing a ledger. A string equals only that same string,
 * so a stored value that is not an array is decided here exactly; an array goes to the engine's matcher.
 */
final class StringMatch implements Predicate<Document> {
  private final Map<String, Set<String>> allowed;
  private final Document match;
  private final QueryMatcher fallback;

  private StringMatch(Map<String, Set<String>> allowed, Document match, QueryMatcher fallback) {
    this.allowed = allowed;
    this.match = match;
    this.fallback = fallback;
  }

  /** {@code match} as a predicate: by hash lookups when it has that shape, else by {@code fallback}. */
  static Predicate<Document> of(Document match, QueryMatcher fallback) {
    Map<String, Set<String>> allowed = new HashMap<>();
    for (Map.Entry<String, Object> field : match.entrySet()) {
      Set<String> values = strings(field.getValue());
      if (field.getKey().startsWith("$") || field.getKey().contains(".") || values == null) {
        return document -> fallback.matches(document, match);
      }
      allowed.put(field.getKey(), values);
    }
    return new StringMatch(allowed, match, fallback);
  }

  @Override
  public boolean test(Document document) {
    for (Map.Entry<String, Set<String>> field : allowed.entrySet()) {
      Object value = document.get(field.getKey());
      if (value instanceof Collection<?>) return fallback.matches(document, match);
      if (!(value instanceof String text) || !field.getValue().contains(text)) return false;
    }
    return true;
  }

  /** The strings a condition allows: an equality or an {@code $in} of strings only; null for any other condition. */
  private static Set<String> strings(Object condition) {
    if (condition instanceof String text) return Set.of(text);
    if (!(condition instanceof Document operator) || !operator.keySet().equals(Set.of("$in"))
      || !(operator.get("$in") instanceof Collection<?> in)) return null;
    Set<String> values = new HashSet<>();
    for (Object value : in) {
      if (!(value instanceof String text)) return null;
      values.add(text);
    }
    return values;
  }
}
