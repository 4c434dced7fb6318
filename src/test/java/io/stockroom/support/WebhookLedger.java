package io.stockroom.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What an endpoint must have received according to the ledger, read here independently of the dispatcher: one
 * message per stock event (the movements of one unit with the same event type and source, named by the first of them)
 * and webhook type the endpoint wants, and one per low-stock transition, for every change recorded since the endpoint
 * was created. Rolled-back units left no movements, so they expect nothing.
 */
public final class WebhookLedger {
  private static final Map<String, String> SPECIFIC = Map.of("ORDER_PLACED", "order.placed", "ORDER_CANCELLED", "order.cancelled",
    "RETURNED", "order.returned", "PO_RECEIVED", "purchase_order.received", "RESERVED", "reservation.created",
    "RELEASED", "reservation.released", "EXPIRED", "reservation.expired", "TRANSFER_SHIPPED", "transfer.shipped",
    "TRANSFER_RECEIVED", "transfer.received");

  private WebhookLedger() {
  }

  /** The message ids the endpoint {@code webhookId} of the tenant should have, sorted. */
  public static List<String> expected(MongoClient mongo, String tenantId, String webhookId) {
    JsonObject hook = mongo.findOne("webhooks", new JsonObject().put("_id", webhookId).put("tenantId", tenantId), null).await();
    Instant created = Instant.parse(hook.getJsonObject("createdAt").getString("$date"));
    JsonArray wanted = hook.getJsonArray("events");
    Map<String, String> firstOfEvent = new TreeMap<>();
    Map<String, String> typeOfEvent = new TreeMap<>();
    TreeSet<String> ids = new TreeSet<>();
    List<JsonObject> movements = mongo.findWithOptions("stock_movements", new JsonObject().put("tenantId", tenantId),
      new FindOptions().setSort(new JsonObject().put("_id", 1))).await();
    for (JsonObject m : movements) {
      if (Instant.parse(m.getJsonObject("createdAt").getString("$date")).isBefore(created)) continue;
      JsonObject event = m.getJsonObject("event");
      if (event != null) {
        String key = m.getString("unitId") + "|" + event.getString("type") + "|" + event.getString("sourceId");
        firstOfEvent.putIfAbsent(key, m.getString("_id"));
        typeOfEvent.put(key, event.getString("type"));
      }
      JsonObject lowStock = m.getJsonObject("lowStock");
      if (lowStock != null && wanted.contains(lowStock.getString("type"))) ids.add(messageId(m.getString("_id"), lowStock.getString("type")));
    }
    firstOfEvent.forEach((key, first) -> {
      List<String> types = new ArrayList<>(List.of("stock.changed"));
      if (SPECIFIC.containsKey(typeOfEvent.get(key))) types.add(SPECIFIC.get(typeOfEvent.get(key)));
      types.stream().filter(wanted::contains).forEach(type -> ids.add(messageId(first, type)));
    });
    return new ArrayList<>(ids);
  }

  /** The message ids of the endpoint's deliveries, sorted, one entry per delivery. */
  public static List<String> delivered(MongoClient mongo, String tenantId, String webhookId) {
    List<String> ids = new ArrayList<>();
    mongo.findWithOptions("webhook_deliveries", new JsonObject().put("tenantId", tenantId).put("webhookId", webhookId),
      new FindOptions().setFields(new JsonObject().put("messageId", 1))).await().forEach(d -> ids.add(d.getString("messageId")));
    ids.sort(null);
    return ids;
  }

  /** Waits until the endpoint has exactly one delivery per message the ledger calls for, and no other. */
  /**
   * How long the ledger follower may take at most (a liveness bound, not a speed target): a tenant it got no hint for
   * (events made on another instance outside its cluster) is visited within {@code LedgerFollower.IDLE_VISIT}, and
   * events whose unit was still undecided at a visit get their final pass within {@code FINAL_EVERY}: 10 s each,
   * plus a turn or two.
   */
  public static final long FOLLOWER_BOUND_MS = 30_000;

  public static void assertDeliveredOnce(MongoClient mongo, String tenantId, String webhookId, long timeoutMs) {
    Eventually.holds(java.time.Duration.ofMillis(timeoutMs),
      () -> expected(mongo, tenantId, webhookId).equals(delivered(mongo, tenantId, webhookId)));
    assertEquals(expected(mongo, tenantId, webhookId), delivered(mongo, tenantId, webhookId),
      "one delivery per event the ledger records since the endpoint was created, none for anything else");
  }

  private static String messageId(String id, String type) {
    return "msg_" + id + "_" + type.replace('.', '_');
  }
}
