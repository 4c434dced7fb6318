package io.stockroom.support;

import com.mongodb.event.CommandStartedEvent;
import io.stockroom.platform.mongo.RoundTrips;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shape of every query the service sends to MongoDB while the tests run (taken from the driver's command
 * listener): collection, equality fields, range fields and sort. Values are dropped, so each shape is kept once.
 */
public final class QueryShapes {
  /** One query shape; {@code example} is the first filter seen with it. */
  public record Shape(String collection, String command, Set<String> equality, Set<String> range, List<String> sort,
                      String example) {
    String key() {
      return collection + " " + equality + " " + range + " " + sort;
    }
  }

  private static final Map<String, Shape> SHAPES = new ConcurrentHashMap<>();

  private QueryShapes() {
  }

  private static boolean recording;

  /** Starts recording (idempotent). */
  public static synchronized void record() {
    if (recording) return;
    recording = true;
    RoundTrips.tap(QueryShapes::seen);
  }

  public static Collection<Shape> all() {
    return List.copyOf(SHAPES.values());
  }

  private static void seen(CommandStartedEvent event) {
    BsonDocument command = event.getCommand();
    String name = event.getCommandName();
    BsonValue target = command.get(name);
    if (target == null || !target.isString()) return;
    String collection = target.asString().getValue();
    switch (name) {
      case "find" -> add(collection, name, doc(command, "filter"), doc(command, "sort"));
      case "findAndModify" -> add(collection, name, doc(command, "query"), doc(command, "sort"));
      case "count", "distinct" -> add(collection, name, doc(command, "query"), null);
      case "update" -> statements(command, "updates").forEach(q -> add(collection, name, q, null));
      case "delete" -> statements(command, "deletes").forEach(q -> add(collection, name, q, null));
      case "aggregate" -> {
        BsonArray pipeline = command.getArray("pipeline", new BsonArray());
        BsonDocument match = null;
        BsonDocument sort = null;
        for (BsonValue stage : pipeline) {
          BsonDocument s = stage.asDocument();
          if (match == null && sort == null && s.containsKey("$match")) match = s.getDocument("$match");
          else if (sort == null && s.containsKey("$sort")) sort = s.getDocument("$sort");
          else break;
        }
        add(collection, name, match, sort);
      }
      default -> { }
    }
  }

  private static BsonDocument doc(BsonDocument command, String field) {
    BsonValue value = command.get(field);
    return value != null && value.isDocument() ? value.asDocument() : null;
  }

  private static List<BsonDocument> statements(BsonDocument command, String field) {
    List<BsonDocument> filters = new ArrayList<>();
    // bulk statements may travel as a separate payload the listener does not show; what it shows is checked
    for (BsonValue statement : command.getArray(field, new BsonArray())) filters.add(statement.asDocument().getDocument("q", new BsonDocument()));
    return filters;
  }

  private static void add(String collection, String command, BsonDocument filter, BsonDocument sort) {
    Set<String> equality = new TreeSet<>();
    Set<String> range = new TreeSet<>();
    if (filter != null) classify(filter, equality, range);
    List<String> sortKeys = sort == null ? List.of() : List.copyOf(sort.keySet());
    Shape shape = new Shape(collection, command, equality, range, sortKeys, filter == null ? "{}" : filter.toJson());
    SHAPES.putIfAbsent(shape.key(), shape);
  }

  /** Equality: a value, or {$eq}/{$in}; anything else narrows a range (or only filters). {$or: [...]} adds its branches' fields as ranges. */
  private static void classify(BsonDocument filter, Set<String> equality, Set<String> range) {
    for (Map.Entry<String, BsonValue> e : filter.entrySet()) {
      String field = e.getKey();
      BsonValue value = e.getValue();
      if (field.equals("$or") || field.equals("$and") || field.equals("$nor")) {
        for (BsonValue branch : value.asArray()) {
          Set<String> inner = new TreeSet<>();
          classify(branch.asDocument(), inner, inner);
          range.addAll(inner);
        }
      } else if (value.isDocument() && !value.asDocument().isEmpty() && value.asDocument().getFirstKey().startsWith("$")) {
        Set<String> operators = value.asDocument().keySet();
        if (operators.stream().allMatch(op -> op.equals("$eq") || op.equals("$in"))) equality.add(field);
        else range.add(field);
      } else {
        equality.add(field);
      }
    }
  }
}
