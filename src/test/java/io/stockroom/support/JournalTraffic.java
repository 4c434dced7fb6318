package io.stockroom.support;

import com.mongodb.MongoClientSettings;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import io.stockroom.platform.mongo.RoundTrips;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.impl.config.MongoClientOptionsParser;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What the service writes to the unit journal for one tenant's units, read off the driver's command listener as a
 * recording proxy would read the wire: documents inserted (entries and step documents), update statements (commit marks,
 * lease renewals, ROLLING_BACK) and delete statements, each attributed to the tenant through the entries it inserted.
 * Either the service's clients are watched ({@link #ofService}) or a client of the test's own ({@link #ofOwnClient}).
 */
public final class JournalTraffic implements AutoCloseable {
  private static final String JOURNAL = "unit_journal";

  private record Sent(String name, BsonDocument command) {
  }

  /** Counts for the tenant's units; {@code commands} are the journal commands that named any of them. */
  public record Counts(int units, int inserted, int updates, int commitMarks, int deletes, int commands) {
    /**
     * Documents written: inserts, updates, and as many deletions as documents were inserted (the journal of a unit
     * that finished is empty, which the caller checks).
     */
    public int documentWrites() {
      return inserted + updates + inserted;
    }
  }

  private final ConcurrentLinkedQueue<Sent> seen = new ConcurrentLinkedQueue<>();
  private final List<Runnable> closing = new ArrayList<>();

  private JournalTraffic() {
  }

  /** Records what the service's own clients send ({@code Storage.mongo}). */
  public static JournalTraffic ofService() {
    JournalTraffic traffic = new JournalTraffic();
    traffic.closing.add(RoundTrips.tap(traffic::seen));
    return traffic;
  }

  /**
   * Records what {@code client} sends: a client of a test's own, on {@code uri} and {@code database}, which the
   * suite's record of the service's queries (and its index check) does not see. Closed with this.
   */
  public static JournalTraffic ofOwnClient(Vertx vertx, String uri, String database) {
    JournalTraffic traffic = new JournalTraffic();
    JsonObject config = new JsonObject().put("connection_string", uri).put("db_name", database);
    // the Vert.x client's own settings (its codecs for JsonObject among them), plus the listener
    traffic.client = MongoClient.createWithMongoSettings(vertx, config, "journal-traffic-" + UUID.randomUUID(),
      MongoClientSettings.builder(new MongoClientOptionsParser(vertx, config).settings())
        .addCommandListener(new CommandListener() {
          @Override
          public void commandStarted(CommandStartedEvent event) {
            traffic.seen(event);
          }
        }).build());
    traffic.closing.add(() -> traffic.client.close().await());
    return traffic;
  }

  private MongoClient client;

  /** The client of {@link #ofOwnClient}. */
  public MongoClient client() {
    return client;
  }

  private void seen(CommandStartedEvent event) {
    BsonValue target = event.getCommand().get(event.getCommandName());
    if (target != null && target.isString() && target.asString().getValue().equals(JOURNAL)) {
      // the command's bytes are released once the listener returns: keep a copy
      seen.add(new Sent(event.getCommandName(), event.getCommand().clone()));
    }
  }

  /** The journal traffic of {@code tenantId}'s units so far. */
  public Counts of(String tenantId) {
    Set<String> units = new HashSet<>();
    int inserted = 0;
    int updates = 0;
    int marks = 0;
    int deletes = 0;
    int commands = 0;
    for (Sent sent : List.copyOf(seen)) {
      boolean ours = false;
      switch (sent.name()) {
        case "insert" -> {
          for (BsonValue doc : array(sent.command(), "documents")) {
            BsonDocument document = doc.asDocument();
            if (!tenantId.equals(string(document, "tenantId"))) continue;
            ours = true;
            inserted++;
            if (!document.containsKey("seq")) units.add(string(document, "_id"));
          }
        }
        case "update" -> {
          for (BsonValue statement : array(sent.command(), "updates")) {
            if (!namesAny(statement.asDocument().getDocument("q"), units)) continue;
            ours = true;
            updates++;
            BsonDocument set = statement.asDocument().getDocument("u").getDocument("$set", new BsonDocument());
            if ("COMMITTED".equals(string(set, "state"))) marks++;
          }
        }
        case "delete" -> {
          for (BsonValue statement : array(sent.command(), "deletes")) {
            if (!namesAny(statement.asDocument().getDocument("q"), units)) continue;
            ours = true;
            deletes++;
          }
        }
        default -> {
        }
      }
      if (ours) commands++;
    }
    return new Counts(units.size(), inserted, updates, marks, deletes, commands);
  }

  /** Whether a filter names one of the units, by {@code _id} or {@code unitId} (plain or {@code $in}). */
  private static boolean namesAny(BsonDocument filter, Set<String> units) {
    for (String field : List.of("_id", "unitId")) {
      BsonValue value = filter.get(field);
      if (value == null) continue;
      List<BsonValue> named = new ArrayList<>();
      if (value.isDocument() && value.asDocument().containsKey("$in")) named.addAll(value.asDocument().getArray("$in"));
      else named.add(value);
      if (named.stream().anyMatch(v -> v.isString() && units.contains(v.asString().getValue()))) return true;
    }
    return false;
  }

  private static BsonArray array(BsonDocument command, String field) {
    return command.getArray(field, new BsonArray());
  }

  private static String string(BsonDocument document, String field) {
    BsonValue value = document.get(field);
    return value != null && value.isString() ? value.asString().getValue() : null;
  }

  @Override
  public void close() {
    closing.forEach(Runnable::run);
  }
}
