package io.stockroom.support;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The shape of one query (values dropped) and the rule deciding whether an index serves it, without I/O, so that the
 * rule itself is tested ({@code ShapeCheckTest}). A query is served when an index answers it by walking one bounded
 * range of keys in the order asked for (the ESR rule: equality fields first, then the sort, the range bounding the scan
 * either as the first key after the equalities or as the first sort key):
 * <ul>
 *   <li>{@code $expr} is never served (MongoDB evaluates it on every document the rest of the filter leaves);</li>
 *   <li>each {@code $or} branch, with the filter's other fields, must be served on its own;</li>
 *   <li>a range field that no index key bounds is a scan of everything the equalities leave; one exception:
 *       {@code createdAt} beside an {@code _id} bound of the same side (ids are time-ordered ObjectIds, see
 *       {@code Mongo.createdBetween});</li>
 *   <li>a sort that the index does not give after the equality prefix is a blocking sort of everything matched;</li>
 *   <li>an aggregation is its first {@code $match} (and {@code $sort}); a {@code $group} needs a {@code $match} that
 *       narrows more than a whole tenant (equality beyond {@code tenantId}, or a bounded range);</li>
 *   <li>find, count, distinct, findAndModify, update and delete filters are all checked the same way.</li>
 * </ul>
 * Operators that only filter ({@code $ne}, {@code $nin}, {@code $exists}, {@code $not}, {@code $regex},
 * {@code $elemMatch}, {@code $size}) are residual: they neither help nor hurt the choice of index.
 */
public final class ShapeCheck {
  private static final Set<String> RANGE_OPS = Set.of("$gt", "$gte", "$lt", "$lte");
  private static final Set<String> EQUALITY_OPS = Set.of("$eq", "$in");

  private ShapeCheck() {
  }

  /**
   * One query shape: equality fields, range fields with their operators, residual fields, the sort (field → 1 or −1,
   * in order), the {@code $or} branches (each itself a shape of its own fields), and what else makes it unindexable.
   */
  public record Shape(String collection, String command, Set<String> equality, Map<String, Set<String>> ranges,
                      Set<String> residual, LinkedHashMap<String, Integer> sort, List<Shape> or, boolean expr,
                      boolean group, String example) {
    public Set<String> range() {
      return ranges.keySet();
    }

    /** Values dropped: two queries with one key are checked once. */
    public String key() {
      return collection + " " + command + " " + equality + " " + ranges + " " + residual + " " + sort + " "
        + or.stream().map(Shape::key).toList() + (expr ? " $expr" : "") + (group ? " $group" : "");
    }

    /** The key the documented exceptions are listed under: collection, equality fields, range fields. */
    public String kind() {
      return collection + " " + equality + " " + new ArrayList<>(ranges.keySet());
    }
  }

  /** An index's keys with their directions, in order, and whether it is unique. */
  public record Index(String name, LinkedHashMap<String, Integer> keys, boolean unique) {
    public List<String> fields() {
      return List.copyOf(keys.keySet());
    }

    @Override
    public String toString() {
      return keys + (unique ? " unique" : "");
    }
  }

  /** The shape of a filter and sort ({@code null} for none). */
  public static Shape of(String collection, String command, BsonDocument filter, BsonDocument sort, boolean group) {
    Set<String> equality = new TreeSet<>();
    Map<String, Set<String>> ranges = new TreeMap<>();
    Set<String> residual = new TreeSet<>();
    List<Shape> or = new ArrayList<>();
    boolean[] expr = {false};
    if (filter != null) classify(collection, command, filter, equality, ranges, residual, or, expr);
    LinkedHashMap<String, Integer> sortKeys = new LinkedHashMap<>();
    if (sort != null) sort.forEach((field, dir) -> sortKeys.put(field, dir.isNumber() && dir.asNumber().intValue() < 0 ? -1 : 1));
    return new Shape(collection, command, equality, ranges, residual, sortKeys, or, expr[0], group,
      filter == null ? "{}" : filter.toJson());
  }

  /** The shape of an aggregation: its leading {@code $match} and {@code $sort}, and whether it groups. */
  public static Shape ofPipeline(String collection, BsonArray pipeline) {
    BsonDocument match = null;
    BsonDocument sort = null;
    boolean group = false;
    boolean leading = true;
    for (BsonValue stage : pipeline) {
      BsonDocument s = stage.asDocument();
      if (leading && match == null && sort == null && s.containsKey("$match")) match = s.getDocument("$match");
      else if (leading && sort == null && s.containsKey("$sort")) sort = s.getDocument("$sort");
      else leading = false;
      if (s.containsKey("$group")) group = true;
    }
    return of(collection, "aggregate", match, sort, group);
  }

  private static void classify(String collection, String command, BsonDocument filter, Set<String> equality,
                               Map<String, Set<String>> ranges, Set<String> residual, List<Shape> or, boolean[] expr) {
    for (Map.Entry<String, BsonValue> e : filter.entrySet()) {
      String field = e.getKey();
      BsonValue value = e.getValue();
      switch (field) {
        case "$expr", "$where", "$text" -> expr[0] = true;
        case "$and" -> value.asArray().forEach(branch -> classify(collection, command, branch.asDocument(), equality, ranges, residual, or, expr));
        case "$or" -> value.asArray().forEach(branch -> or.add(of(collection, command, branch.asDocument(), null, false)));
        case "$nor" -> value.asArray().forEach(branch -> residual.addAll(branch.asDocument().keySet()));
        default -> {
          if (value.isDocument() && !value.asDocument().isEmpty() && value.asDocument().getFirstKey().startsWith("$")) {
            Set<String> operators = value.asDocument().keySet();
            if (EQUALITY_OPS.containsAll(operators)) {
              equality.add(field);
            } else if (operators.stream().anyMatch(RANGE_OPS::contains)) {
              ranges.computeIfAbsent(field, f -> new TreeSet<>()).addAll(operators.stream().filter(RANGE_OPS::contains).toList());
            } else {
              residual.add(field);
            }
          } else {
            equality.add(field);
          }
        }
      }
    }
  }

  /**
   * Why no index serves the shape, or null when one does. {@code tenantScoped}: the collection holds tenant data, so
   * its queries must name {@code tenantId} (as equality) unless {@code crossTenant} lists the shape's kind.
   */
  public static String problem(Shape shape, List<Index> indexes, boolean tenantScoped, Set<String> crossTenant) {
    return problem(shape, indexes, tenantScoped, crossTenant, Set.of());
  }

  /**
   * As above; {@code residualRanges} ("collection field") lists the ranges documented as filtering out only a few of
   * the documents the index walk reads (checked only when the rest of the shape is served).
   */
  public static String problem(Shape shape, List<Index> indexes, boolean tenantScoped, Set<String> crossTenant,
                               Set<String> residualRanges) {
    if (shape.expr()) return "$expr (or $where/$text) can never be answered from an index";
    if (!shape.or().isEmpty()) {
      for (Shape branch : shape.or()) {
        Shape combined = combine(shape, branch);
        String problem = problem(combined, indexes, tenantScoped, crossTenant, residualRanges);
        if (problem != null) return "$or branch " + branch.example() + ": " + problem;
      }
      return null;
    }
    if (tenantScoped && !shape.equality().contains("tenantId") && !crossTenant.contains(shape.kind())) {
      return "no tenantId: every tenant's documents (and, sharded by tenant, every shard)";
    }
    if (shape.group() && shape.equality().stream().noneMatch(f -> !f.equals("tenantId")) && shape.range().isEmpty()) {
      return "$group over everything the $match leaves (" + shape.equality() + "): a whole tenant at once";
    }
    for (Index index : indexes) {
      // every key of a unique index fixed by equality: at most one document (per $in value), the rest only filters it
      if (index.unique() && shape.equality().containsAll(index.keys().keySet())) return null;
    }
    String best = null;
    for (Index index : indexes) {
      String why = servedBy(shape, index, residualRanges);
      if (why == null) return null;
      if (best == null || why.startsWith("sort") || why.startsWith("range")) best = why;
    }
    return (best == null ? "no index" : best) + " (have " + indexes + ")";
  }

  /** The shape with an $or branch's fields added to the filter's others. */
  private static Shape combine(Shape outer, Shape branch) {
    Set<String> equality = new TreeSet<>(outer.equality());
    equality.addAll(branch.equality());
    Map<String, Set<String>> ranges = new TreeMap<>();
    outer.ranges().forEach((f, ops) -> ranges.put(f, new TreeSet<>(ops)));
    branch.ranges().forEach((f, ops) -> ranges.computeIfAbsent(f, k -> new TreeSet<>()).addAll(ops));
    Set<String> residual = new TreeSet<>(outer.residual());
    residual.addAll(branch.residual());
    return new Shape(outer.collection(), outer.command(), equality, ranges, residual, outer.sort(), branch.or(),
      outer.expr() || branch.expr(), outer.group(), branch.example());
  }

  /** Why this index does not serve the shape, or null when it does. */
  static String servedBy(Shape shape, Index index, Set<String> residualRanges) {
    List<String> keys = index.fields();
    int e = shape.equality().size();
    if (keys.size() < e || !Set.copyOf(keys.subList(0, e)).equals(shape.equality())) {
      return "no index with the equality fields " + shape.equality() + " first";
    }
    if (index.unique() && keys.size() == e) return null; // at most one document: nothing to bound or sort
    List<String> rest = keys.subList(e, keys.size());
    // a sort on a field fixed by equality is no sort at all
    List<Map.Entry<String, Integer>> sort = shape.sort().entrySet().stream().filter(s -> !shape.equality().contains(s.getKey())).toList();
    if (!sort.isEmpty()) {
      if (rest.size() < sort.size()) return "sort " + shape.sort().keySet() + " not given by the index after the equality fields";
      Boolean reversed = null;
      for (int i = 0; i < sort.size(); i++) {
        if (!rest.get(i).equals(sort.get(i).getKey())) return "sort " + shape.sort().keySet() + " not given by the index after the equality fields";
        boolean flipped = !index.keys().get(rest.get(i)).equals(sort.get(i).getValue());
        if (reversed == null) reversed = flipped;
        else if (reversed != flipped) return "sort " + shape.sort() + " mixes the index's directions";
      }
    }
    if (e == 0 && sort.isEmpty() && (rest.isEmpty() || !shape.range().contains(rest.get(0)))) {
      return "no index bounds the query (no equality, and no range on an index's first key)";
    }
    // the one range that bounds the scan: the first key after the equalities (which is the first sort key, if any)
    String bounding = rest.isEmpty() ? null : rest.get(0);
    for (Map.Entry<String, Set<String>> range : shape.ranges().entrySet()) {
      String field = range.getKey();
      if (field.equals(bounding) || residualRanges.contains(shape.collection() + " " + field)) continue;
      if (field.equals("createdAt") && bounding != null && bounding.equals("_id") && idBoundsCreatedAt(range.getValue(), shape.ranges().get("_id"))) continue;
      if (!sort.isEmpty() && !shape.range().contains(sort.get(0).getKey())) {
        return "range on " + field + " sorted by " + sort.get(0).getKey() + ": every document of the equality prefix is read";
      }
      return "range on " + field + " not bounded by the index (its next key is " + bounding + ")";
    }
    return null;
  }

  /** {@code createdAt}'s lower and upper bounds each matched by an {@code _id} bound of the same side. */
  private static boolean idBoundsCreatedAt(Set<String> createdAt, Set<String> id) {
    if (id == null) return false;
    boolean lower = createdAt.stream().noneMatch(op -> op.startsWith("$gt")) || id.stream().anyMatch(op -> op.startsWith("$gt"));
    boolean upper = createdAt.stream().noneMatch(op -> op.startsWith("$lt")) || id.stream().anyMatch(op -> op.startsWith("$lt"));
    return lower && upper;
  }
}
