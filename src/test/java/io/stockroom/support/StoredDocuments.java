package io.stockroom.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.impl.codec.json.JsonObjectCodec;
import org.bson.BsonBinaryWriter;
import org.bson.codecs.EncoderContext;
import org.bson.io.BasicOutputBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The size of every stored document, against the bound no document may reach (docs/documents.md). Each test JVM scans
 * its stack's database when its last test class ends ({@link SuiteRecords}) and leaves the result beside the query
 * shapes; StoredDocumentsTest, after the suite, reads them all.
 */
public final class StoredDocuments {
  /** No stored document reaches this (MongoDB's own limit is 16 MB). */
  public static final int LIMIT = 1024 * 1024;
  private static final int PAGE = 1_000;
  private static final String SUFFIX = ".documents.json";
  /** The longest a page of the scan may take. */
  private static final long TIMEOUT_S = 60;

  /** The largest document per collection (bytes) and every document at or over {@link #LIMIT}. */
  public record Scan(Map<String, Integer> largest, List<String> over) {
    JsonObject toJson() {
      return new JsonObject().put("largest", new JsonObject(new TreeMap<>(largest))).put("over", new JsonArray(over));
    }

    static Scan fromJson(JsonObject json) {
      if (json.containsKey("failed")) throw new AssertionError("a test JVM could not scan its documents: " + json.getString("failed"));
      Map<String, Integer> largest = new TreeMap<>();
      json.getJsonObject("largest").forEach(e -> largest.put(e.getKey(), ((Number) e.getValue()).intValue()));
      return new Scan(largest, json.getJsonArray("over").stream().map(String::valueOf).toList());
    }
  }

  private StoredDocuments() {
  }

  /** The document's size as the client writes it (the client's codec: amounts beyond a long stay Decimal128). */
  public static int bsonSize(JsonObject doc) {
    BasicOutputBuffer out = new BasicOutputBuffer();
    new JsonObjectCodec(new JsonObject()).encode(new BsonBinaryWriter(out), doc, EncoderContext.builder().build());
    return out.getSize();
  }

  /** Every document of every collection, paged by {@code _id} (a collection may hold more than one reply carries). */
  public static Scan scan(MongoClient mongo) {
    Map<String, Integer> largest = new TreeMap<>();
    List<String> over = new ArrayList<>();
    for (String collection : mongo.getCollections().timeout(TIMEOUT_S, TimeUnit.SECONDS).await()) {
      if (collection.startsWith("system.")) continue;
      int max = 0;
      Object after = null;
      while (true) {
        JsonObject page = after == null ? new JsonObject() : new JsonObject().put("_id", new JsonObject().put("$gt", after));
        List<JsonObject> docs = mongo.findWithOptions(collection, page,
          new FindOptions().setSort(new JsonObject().put("_id", 1)).setLimit(PAGE)).timeout(TIMEOUT_S, TimeUnit.SECONDS).await();
        for (JsonObject doc : docs) {
          int size = bsonSize(doc);
          max = Math.max(max, size);
          if (size >= LIMIT) over.add(collection + " " + doc.getValue("_id") + ": " + size + " bytes");
        }
        if (docs.size() < PAGE) break;
        after = docs.get(docs.size() - 1).getValue("_id");
      }
      largest.put(collection, max);
    }
    return new Scan(largest, over);
  }

  /**
   * Scans {@code mongo} and leaves the result for the check after the suite, in {@code directory}; a scan that fails
   * leaves its failure instead, which fails that check.
   */
  static void record(MongoClient mongo, Path directory) {
    JsonObject result;
    try {
      result = scan(mongo).toJson();
    } catch (RuntimeException e) {
      result = new JsonObject().put("failed", String.valueOf(e));
    }
    try {
      Files.createDirectories(directory);
      Files.writeString(directory.resolve(ProcessHandle.current().pid() + SUFFIX), result.encode(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The scans the other test JVMs of this run left in {@code directory}. */
  public static List<Scan> recorded(Path directory) {
    if (!Files.isDirectory(directory)) return List.of();
    String own = ProcessHandle.current().pid() + SUFFIX;
    try (var files = Files.list(directory)) {
      List<Scan> scans = new ArrayList<>();
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(SUFFIX) && !f.getFileName().toString().equals(own)).toList()) {
        scans.add(Scan.fromJson(new JsonObject(Files.readString(file, StandardCharsets.UTF_8))));
      }
      return scans;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
