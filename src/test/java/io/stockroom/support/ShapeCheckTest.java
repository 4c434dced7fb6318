package io.stockroom.support;

import org.bson.BsonDocument;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The index-coverage rule can fail: each kind of unindexable query shape is reported, and the served ones are not. */
class ShapeCheckTest {
  private static final List<ShapeCheck.Index> VARIANTS = List.of(
    index("_id_", true, "_id", 1),
    index("tenant_id", true, "tenantId", 1, "_id", 1),
    index("tenant_low_id", false, "tenantId", 1, "low", 1, "_id", 1),
    index("tenant_sales", false, "tenantId", 1, "sales30.u", -1, "_id", 1),
    index("tenant_created", false, "tenantId", 1, "createdAt", 1));

  private static ShapeCheck.Index index(String name, boolean unique, Object... keys) {
    LinkedHashMap<String, Integer> map = new LinkedHashMap<>();
    for (int i = 0; i < keys.length; i += 2) map.put((String) keys[i], (Integer) keys[i + 1]);
    return new ShapeCheck.Index(name, map, unique);
  }

  private static String find(String filter, String sort) {
    BsonDocument command = new BsonDocument("find", new org.bson.BsonString("variants")).append("filter", BsonDocument.parse(filter));
    if (sort != null) command.append("sort", BsonDocument.parse(sort));
    return check(command, "find");
  }

  private static String check(BsonDocument command, String name) {
    List<ShapeCheck.Shape> shapes = QueryShapes.shapesOf(name, command);
    assertEquals(1, shapes.size());
    return ShapeCheck.problem(shapes.get(0), VARIANTS, true, Set.of());
  }

  @Test
  @DisplayName("$expr is never served, whatever indexes exist")
  void exprIsReported() {
    String problem = find("{tenantId: 't', $expr: {$lte: ['$stock', '$reorderLevel']}}", "{_id: 1}");
    assertNotNull(problem);
    assertTrue(problem.contains("$expr"), problem);
  }

  @Test
  @DisplayName("a range sorted by another field is reported; the range as the next key, or as the sort, is served")
  void rangeSortedByAnotherField() {
    String problem = find("{tenantId: 't', createdAt: {$gte: {$date: 0}}}", "{_id: 1}");
    assertNotNull(problem);
    assertTrue(problem.contains("createdAt"), problem);
    assertNull(find("{tenantId: 't', createdAt: {$gte: {$date: 0}}}", null));
    assertNull(find("{tenantId: 't', 'sales30.u': {$gt: 0}}", "{'sales30.u': -1, _id: 1}"));
    assertNull(find("{tenantId: 't', 'sales30.u': {$gt: 0}}", "{'sales30.u': 1, _id: -1}"), "the reverse walk serves the reverse sort");
    assertNotNull(find("{tenantId: 't', 'sales30.u': {$gt: 0}}", "{'sales30.u': -1, _id: -1}"), "mixed directions are not one walk");
    assertNotNull(find("{tenantId: 't', 'sales30.u': {$gt: 0}}", "{sku: 1}"));
  }

  @Test
  @DisplayName("a createdAt range is served beside an _id bound of the same side only")
  void createdAtBesideIdBounds() {
    assertNull(find("{tenantId: 't', _id: {$gte: 'a', $lt: 'b'}, createdAt: {$gte: {$date: 0}, $lt: {$date: 1}}}", "{_id: 1}"));
    assertNotNull(find("{tenantId: 't', _id: {$gt: 'a'}, createdAt: {$gte: {$date: 0}, $lt: {$date: 1}}}", "{_id: 1}"),
      "a cursor alone bounds only one side");
  }

  @Test
  @DisplayName("each $or branch must be served on its own")
  void orBranchWithoutIndex() {
    String problem = find("{tenantId: 't', $or: [{low: true}, {stock: {$gt: 5}}]}", null);
    assertNotNull(problem);
    assertTrue(problem.contains("$or branch"), problem);
    assertNull(find("{tenantId: 't', $or: [{low: true}, {_id: 'x'}]}", null));
  }

  @Test
  @DisplayName("queries without tenantId, or on fields no index starts with, are reported; exact lookups are served")
  void tenantAndEquality() {
    assertTrue(find("{low: true}", null).contains("tenantId"));
    assertTrue(find("{_id: 'x'}", null).contains("tenantId"), "sharded by tenant, an _id alone goes to every shard");
    assertNotNull(find("{tenantId: 't', sku: 'A'}", null));
    assertNull(find("{tenantId: 't', _id: 'x', version: 3}", null));
    assertNull(find("{tenantId: 't', low: true, _id: {$gt: 'x'}}", "{_id: 1}"));
  }

  @Test
  @DisplayName("a $group needs a $match narrower than a whole tenant; updates and deletes are checked like finds")
  void groupAndWrites() {
    BsonDocument whole = BsonDocument.parse("{aggregate: 'variants', pipeline: [{$match: {tenantId: 't'}}, {$group: {_id: '$low'}}]}");
    assertTrue(check(whole, "aggregate").contains("$group"));
    BsonDocument bounded = BsonDocument.parse("{aggregate: 'variants', pipeline: [{$match: {tenantId: 't', _id: {$in: ['a', 'b']}}}, {$group: {_id: '$low'}}]}");
    assertNull(check(bounded, "aggregate"));
    BsonDocument update = BsonDocument.parse("{update: 'variants', updates: [{q: {_id: 'x'}, u: {$set: {a: 1}}}]}");
    assertTrue(check(update, "update").contains("tenantId"));
    BsonDocument delete = BsonDocument.parse("{delete: 'variants', deletes: [{q: {tenantId: 't', stock: {$lt: 0}}, limit: 0}]}");
    assertNotNull(check(delete, "delete"));
  }
}
