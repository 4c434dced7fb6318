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
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shape of every query the service sends to MongoDB while the tests run (taken from the driver's command
 * listener), classified by {@link ShapeCheck}. Values are dropped, so each shape is kept once.
 */
public final class QueryShapes {
  private static final Map<String, ShapeCheck.Shape> SHAPES = new ConcurrentHashMap<>();

  private QueryShapes() {
  }

  private static boolean recording;

  /** Starts recording (idempotent). */
  public static synchronized void record() {
    if (recording) return;
    recording = true;
    RoundTrips.tap(QueryShapes::seen);
  }

  public static Collection<ShapeCheck.Shape> all() {
    return List.copyOf(SHAPES.values());
  }

  /** The shapes of one command as the driver sends it (also for tests of the checker). */
  public static List<ShapeCheck.Shape> shapesOf(String name, BsonDocument command) {
    BsonValue target = command.get(name);
    if (target == null || !target.isString()) return List.of();
    String collection = target.asString().getValue();
    return switch (name) {
      case "find" -> List.of(ShapeCheck.of(collection, name, doc(command, "filter"), doc(command, "sort"), false));
      case "findAndModify" -> List.of(ShapeCheck.of(collection, name, doc(command, "query"), doc(command, "sort"), false));
      case "count", "distinct" -> List.of(ShapeCheck.of(collection, name, doc(command, "query"), null, false));
      case "update" -> statements(command, "updates").stream().map(q -> ShapeCheck.of(collection, name, q, null, false)).toList();
      case "delete" -> statements(command, "deletes").stream().map(q -> ShapeCheck.of(collection, name, q, null, false)).toList();
      case "aggregate" -> List.of(ShapeCheck.ofPipeline(collection, command.getArray("pipeline", new BsonArray())));
      default -> List.of();
    };
  }

  private static void seen(CommandStartedEvent event) {
    for (ShapeCheck.Shape shape : shapesOf(event.getCommandName(), event.getCommand())) SHAPES.putIfAbsent(shape.key(), shape);
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
}
