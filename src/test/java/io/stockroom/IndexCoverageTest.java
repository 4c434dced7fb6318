package io.stockroom;

import io.stockroom.support.Api;
import io.stockroom.support.QueryShapes;
import io.stockroom.support.Session;
import io.stockroom.support.TestStack;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Thousands of tenants in one database stay fast only if every query is answered from an index, never a scan. The
 * embedded stand-in scans for almost everything, so it cannot show this; the shapes of the queries can. Every query the
 * service sent while the whole suite ran (this class runs last) must be served by an index declared at startup: by
 * {@code _id}, or by an index whose first keys are exactly the query's equality fields ({@code tenantId} among them
 * for tenant data) and whose next keys give its sort.
 */
@Order(Integer.MAX_VALUE)
class IndexCoverageTest {
  /**
   * Queries without a tenant, each for a reason (collection, equality fields, range fields): background work over every
   * tenant, or a lookup made before the tenant is known. They must still be served by an index.
   */
  private static final Map<String, String> CROSS_TENANT = Map.of(
    "outbox [] []", "the webhook dispatcher takes the oldest events (the _id index)",
    "unit_repairs [] []", "the repair sweep, oldest first (the _id index)",
    "unit_journal [unitId] []", "settling committed units by id",
    "unit_journal [] [leaseUntil]", "recovery of units whose instance died",
    "reservations [status] [expiresAt]", "the reservation expiry sweep",
    "webhook_deliveries [status] [leaseUntil, nextAttemptAt]", "deliveries that are due",
    "import_jobs [status] [leaseUntil]", "resuming imports whose instance died",
    "refresh_tokens [familyId] [status]", "revoking a refresh-token family",
    "users [email] []", "login: the accounts with this email, before a tenant is chosen");

  /** Reads of every document, by design: once per sweep or start, over every tenant. */
  private static final Map<String, String> SCANS = Map.of(
    "dashboard_totals [] []", "the dashboard sweep lists every tenant with totals, once a minute by one instance",
    "tenants [] []", "the start-up migration checks every tenant's default location");

  private final TestStack stack = TestStack.get();

  @Test
  @DisplayName("every query the service sent during the suite is served by a declared index")
  void everyQueryIsIndexed() {
    if (QueryShapes.all().size() < 30) sampleWorkload();
    Map<String, List<Index>> indexes = new HashMap<>();
    List<String> uncovered = new ArrayList<>();
    for (QueryShapes.Shape shape : QueryShapes.all()) {
      if (shape.collection().startsWith("bench_") || shape.collection().startsWith("system.")) continue;
      List<Index> keys = indexes.computeIfAbsent(shape.collection(), this::indexes);
      String problem = problem(shape, keys);
      if (problem != null) uncovered.add(shape.collection() + " " + shape.command() + " " + shape.example() + " sort " + shape.sort() + ": " + problem);
    }
    uncovered.sort(null);
    assertTrue(uncovered.isEmpty(), () -> uncovered.size() + " query shape(s) not served by an index:\n  " + String.join("\n  ", uncovered));
  }

  /** An index's keys, and whether it is unique. */
  private record Index(List<String> keys, boolean unique) {
    @Override
    public String toString() {
      return keys + (unique ? " unique" : "");
    }
  }

  private List<Index> indexes(String collection) {
    JsonArray listed = stack.mongo.listIndexes(collection).otherwise(new JsonArray()).await();
    List<Index> indexes = new ArrayList<>();
    for (Object index : listed) {
      JsonObject description = (JsonObject) index;
      indexes.add(new Index(List.copyOf(description.getJsonObject("key").fieldNames()), description.getBoolean("unique", false)));
    }
    return indexes;
  }

  /** Why no index serves the shape, or null. */
  private static String problem(QueryShapes.Shape shape, List<Index> indexes) {
    if (shape.equality().contains("_id")) return null;
    String kind = shape.collection() + " " + shape.equality() + " " + shape.range();
    if (SCANS.containsKey(kind)) return null;
    if (!shape.equality().contains("tenantId") && !CROSS_TENANT.containsKey(kind)) return "no tenantId";
    if (shape.equality().isEmpty() && shape.sort().equals(List.of("_id"))) return null;
    for (Index index : indexes) {
      int e = shape.equality().size();
      List<String> keys = index.keys();
      if (keys.size() < e || !Set.copyOf(keys.subList(0, e)).equals(shape.equality())) continue;
      if (e == 0 && (keys.isEmpty() || !(shape.range().contains(keys.get(0)) || shape.sort().contains(keys.get(0))))) continue;
      if (index.unique() && keys.size() == e) return null;  // one document at most: nothing to sort
      List<String> rest = keys.subList(e, keys.size());
      if (shape.sort().isEmpty() || (rest.size() >= shape.sort().size() && rest.subList(0, shape.sort().size()).equals(shape.sort()))) {
        return null;
      }
    }
    return "no index with these equality fields first" + (shape.sort().isEmpty() ? "" : " and this sort next") + " (have " + indexes + ")";
  }

  /** When this class runs alone: a little of everything, so that there is something to check. */
  private void sampleWorkload() {
    Api api = stack.api;
    Session owner = api.signup("Index Co");
    String v = api.createVariant(owner, api.createProduct(owner, "Idx"), "IDX-1", 100, 10).getString("id");
    api.placeOrder(owner, Api.order(v, 1));
    for (String path : List.of("/api/v1/orders", "/api/v1/variants", "/api/v1/stock-movements?variantId=" + v, "/api/v1/dashboard",
      "/api/v1/inventory/audit", "/api/v1/products", "/api/v1/suppliers", "/api/v1/purchase-orders")) {
      api.get(path, owner.token());
    }
  }
}
