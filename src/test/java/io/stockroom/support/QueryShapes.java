package io.stockroom.support;

import com.mongodb.event.CommandStartedEvent;
import io.stockroom.platform.mongo.RoundTrips;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shape of every query the service sends to MongoDB while the tests run (taken from the driver's command
 * listener), classified by {@link ShapeCheck}. Values are dropped, so each shape is kept once.
 *
 * <p>The suite runs in several JVMs at once (surefire forks), so each also appends the first command of each new shape
 * to a file of its own in the records directory ({@link SuiteRecords}), which {@link #finish} closes with how many it
 * holds; {@link #loadRecorded()} reads the other JVMs' files back and refuses one that was not closed or lost a line.
 */
public final class QueryShapes {
  private static final String SUFFIX = ".shapes.ndjson";
  private static final Map<String, ShapeCheck.Shape> SHAPES = new ConcurrentHashMap<>();
  /** Commands this JVM wrote to its file, and those it could not write. */
  private static int written;
  private static int unwritten;
  /** The file was closed: shapes the service's background jobs send later are not written after its last line. */
  private static boolean finished;
  /** The parts of a command {@link #shapesOf} reads: what a recorded command keeps. */
  private static final List<String> SHAPE_FIELDS = List.of("filter", "sort", "query", "updates", "deletes", "pipeline");

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
    boolean anyNew = false;
    for (ShapeCheck.Shape shape : shapesOf(event.getCommandName(), event.getCommand())) {
      anyNew |= SHAPES.putIfAbsent(shape.key(), shape) == null;
    }
    if (anyNew) append(event.getCommandName(), event.getCommand());
  }

  /**
   * Adds the shapes of the commands the other test JVMs of this run recorded; answers how many JVMs' files it read.
   * A file that lacks its closing line, or whose count differs from its lines, fails: those shapes were not checked.
   */
  public static int loadRecorded() {
    Path directory = SuiteRecords.directory();
    if (directory == null || !Files.isDirectory(directory)) return 0;
    String own = ProcessHandle.current().pid() + SUFFIX;
    try (var files = Files.list(directory)) {
      List<Path> recorded = files.filter(f -> f.getFileName().toString().endsWith(SUFFIX) && !f.getFileName().toString().equals(own))
        .toList();
      for (Path file : recorded) {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        BsonDocument end = lines.isEmpty() ? null : BsonDocument.parse(lines.get(lines.size() - 1));
        if (end == null || !end.containsKey("end") || end.getInt32("end").getValue() != lines.size() - 1
          || end.getInt32("unwritten").getValue() != 0) {
          throw new AssertionError(file + " was not closed whole (its JVM lost shapes or ended early): " + (end == null ? "empty" : end.toJson()));
        }
        for (String line : lines.subList(0, lines.size() - 1)) {
          BsonDocument entry = BsonDocument.parse(line);
          for (ShapeCheck.Shape shape : shapesOf(entry.getString("name").getValue(), entry.getDocument("command"))) {
            SHAPES.putIfAbsent(shape.key(), shape);
          }
        }
      }
      return recorded.size();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Closes this JVM's file with how many commands it holds and how many could not be written. */
  static synchronized void finish(Path directory) {
    if (finished) return;
    finished = true;
    write(directory, new BsonDocument("end", new BsonInt32(written)).append("unwritten", new BsonInt32(unwritten)).toJson() + "\n");
  }

  // on the driver's thread: a failure is counted (and reported by the file's closing line), never thrown into the driver
  private static synchronized void append(String name, BsonDocument command) {
    Path directory = SuiteRecords.directory();
    if (directory == null || finished) return;
    BsonDocument kept = new BsonDocument(name, command.get(name));
    for (String field : SHAPE_FIELDS) {
      if (command.containsKey(field)) kept.put(field, field.equals("updates") || field.equals("deletes") ? filtersOnly(command, field) : command.get(field));
    }
    try {
      write(directory, new BsonDocument("name", new BsonString(name)).append("command", kept).toJson() + "\n");
      written++;
    } catch (UncheckedIOException e) {
      unwritten++;
    }
  }

  private static void write(Path directory, String line) {
    try {
      Files.createDirectories(directory);
      Files.writeString(directory.resolve(ProcessHandle.current().pid() + SUFFIX), line, StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Update and delete statements without their documents (an update may carry megabytes): only their filters. */
  private static BsonArray filtersOnly(BsonDocument command, String field) {
    BsonArray filters = new BsonArray();
    for (BsonDocument filter : statements(command, field)) filters.add(new BsonDocument("q", filter));
    return filters;
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
