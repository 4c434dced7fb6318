package io.stockroom.support;

import io.stockroom.platform.mongo.RoundTrips;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What the service writes to the unit journal for one tenant's units, read off the driver's command listener as a
 * recording proxy would read the wire: documents inserted (entries and step documents), update statements (commit marks,
 * lease renewals, ROLLING_BACK) and delete statements, each attributed to the tenant through the entries it inserted.
 * Only clients made by {@code Storage.mongo} are seen (the service's, not the tests' own).
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
  private final Runnable untap;

  public JournalTraffic() {
    // the command's bytes are released once the listener returns: keep a copy
    untap = RoundTrips.tap(event -> {
      BsonValue target = event.getCommand().get(event.getCommandName());
      if (target != null && target.isString() && target.asString().getValue().equals(JOURNAL)) {
        seen.add(new Sent(event.getCommandName(), event.getCommand().clone()));
      }
    });
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
    untap.run();
  }
}
