package io.stockroom.tools;

import com.mongodb.event.CommandStartedEvent;
import io.stockroom.platform.mongo.RoundTrips;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what this process sends to MongoDB while it is open, from the driver's command listener: every command, and
 * every document written (each insert's document, each update's and delete's statement, each findAndModify) by its
 * collection and {@code _id} when the statement names one. The harness divides by the operations of a run and reports
 * the most written document's share. Close it to stop counting.
 */
final class WriteTally implements AutoCloseable {
  private final LongAdder commands = new LongAdder();
  private final LongAdder documents = new LongAdder();
  private final Map<String, LongAdder> byDocument = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> byCollection = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> byCommand = new ConcurrentHashMap<>();
  private final Runnable untap;

  WriteTally() {
    untap = RoundTrips.tap(this::count);
  }

  private void count(CommandStartedEvent event) {
    commands.increment();
    BsonDocument command = event.getCommand();
    BsonValue target = command.get(event.getCommandName());
    String collection = target != null && target.isString() ? target.asString().getValue() : "?";
    byCommand.computeIfAbsent(event.getCommandName() + " " + collection, k -> new LongAdder()).increment();
    switch (event.getCommandName()) {
      case "insert" -> each(command.getArray("documents", new BsonArray()), collection, "_id", null);
      case "update" -> each(command.getArray("updates", new BsonArray()), collection, null, "q");
      case "delete" -> each(command.getArray("deletes", new BsonArray()), collection, null, "q");
      case "findAndModify" -> written(collection, command.getDocument("query", new BsonDocument()).get("_id"));
      default -> { }
    }
  }

  private void each(BsonArray statements, String collection, String idField, String filterField) {
    for (BsonValue statement : statements) {
      BsonDocument document = statement.asDocument();
      BsonValue id = idField != null ? document.get(idField) : document.getDocument(filterField, new BsonDocument()).get("_id");
      written(collection, id);
    }
  }

  private void written(String collection, BsonValue id) {
    documents.increment();
    byCollection.computeIfAbsent(collection, k -> new LongAdder()).increment();
    // a filter by a range or a list of ids names no single document
    if (id != null && !id.isDocument()) byDocument.computeIfAbsent(collection + " " + id, k -> new LongAdder()).increment();
  }

  long commands() {
    return commands.sum();
  }

  long documents() {
    return documents.sum();
  }

  /** Commands by name and collection. */
  Map<String, Long> byCommand() {
    Map<String, Long> counts = new java.util.TreeMap<>();
    byCommand.forEach((command, count) -> counts.put(command, count.sum()));
    return counts;
  }

  /** Documents written by collection. */
  Map<String, Long> byCollection() {
    Map<String, Long> counts = new java.util.TreeMap<>();
    byCollection.forEach((collection, count) -> counts.put(collection, count.sum()));
    return counts;
  }

  /** The most written document ("collection id") and how many writes it got. */
  Map.Entry<String, Long> hottest() {
    return byDocument.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue().sum()))
      .max(Map.Entry.comparingByValue()).orElse(Map.entry("none", 0L));
  }

  @Override
  public void close() {
    untap.run();
  }
}
