package io.stockroom.platform.schema;

import io.stockroom.platform.unit.Steps;
import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Brings a database to the manifest, or only compares them. Collections are created explicitly (never by a first
 * write inside a transaction), missing indexes are built, retired ones dropped (and on a real server the stand-in-only
 * ones an older release built there). An index whose name or keys the
 * database already uses differently is a conflict: MongoDB would refuse it (IndexOptionsConflict, IndexKeySpecsConflict),
 * and only a person can decide what to drop, so nothing is changed for it. Every step is safe to repeat.
 */
public final class Migration {
  /** How far a run may go. */
  public enum Mode {
    /** Compare only: what is missing is reported as pending. */
    CHECK,
    /** Create collections, and indexes of empty collections only (a service at start never builds on live data). */
    EMPTY_ONLY,
    /** Create and build everything missing, drop retired indexes (the migrate command). */
    FULL
  }

  private final MongoClient mongo;
  private final List<CollectionSpec> manifest;

  public Migration(MongoClient mongo, List<CollectionSpec> manifest) {
    this.mongo = mongo;
    this.manifest = manifest;
  }

  /**
   * True when the server is the in-process stand-in (embedded or {@code dev-stores}): unlike mongod, its buildInfo has
   * no gitVersion. Stand-in-only indexes are built there and nowhere else.
   */
  private static final String BUILD_INFO = "buildInfo";
  private static final String GIT_VERSION = "gitVersion";

  public static Future<Boolean> isStandIn(MongoClient mongo) {
    return mongo.runCommand(BUILD_INFO, Ops.where(BUILD_INFO, 1)).map(info -> !info.containsKey(GIT_VERSION));
  }

  public Future<SchemaReport> run(Mode mode, boolean standIn) {
    SchemaReport report = new SchemaReport();
    return mongo.getCollections()
      .compose(existing -> Steps.each(manifest, spec -> collection(spec, Set.copyOf(existing), mode, standIn, report)))
      .map(report);
  }

  private Future<Void> collection(CollectionSpec spec, Set<String> existing, Mode mode, boolean standIn, SchemaReport report) {
    Future<Void> created;
    if (existing.contains(spec.name())) {
      created = Future.succeededFuture();
    } else if (mode == Mode.CHECK) {
      report.pending("create collection " + spec.name());
      return Future.succeededFuture();
    } else {
      created = mongo.createCollection(spec.name())
        .onSuccess(v -> report.done("created collection " + spec.name()))
        // another instance or migrate run created it meanwhile
        .recover(err -> hasCode(err, NAMESPACE_EXISTS) ? Future.succeededFuture() : Future.failedFuture(err));
    }
    return created.compose(v -> mongo.listIndexes(spec.name()))
      .compose(listed -> emptiness(spec, mode).compose(empty -> indexes(spec, listed, mode, standIn, empty, report)));
  }

  /** Whether the collection holds no document; only asked when it decides something. */
  private Future<Boolean> emptiness(CollectionSpec spec, Mode mode) {
    if (mode != Mode.EMPTY_ONLY) return Future.succeededFuture(false);
    return mongo.findOne(spec.name(), new JsonObject(), Ops.only(Fields.ID)).map(doc -> doc == null);
  }

  private Future<Void> indexes(CollectionSpec spec, JsonArray listed, Mode mode, boolean standIn, boolean empty,
                               SchemaReport report) {
    Set<String> known = new HashSet<>(Set.of("_id_"));
    JsonArray remaining = listed.copy();
    // first what must go, so that an index re-declared under a new name with the same keys can then be built
    return Steps.each(obsolete(spec, standIn), name -> {
      known.add(name);
      JsonObject present = find(remaining, name);
      if (present == null) return Future.succeededFuture();
      if (mode != Mode.FULL) {
        if (spec.retired().contains(name)) report.pending("drop retired index " + spec.name() + "." + name);
        return Future.succeededFuture();
      }
      remaining.remove(present);
      return mongo.dropIndex(spec.name(), name)
        .onSuccess(ok -> report.done("dropped index " + spec.name() + "." + name))
        // another migrate run dropped it meanwhile
        .recover(err -> hasCode(err, INDEX_NOT_FOUND) ? Future.succeededFuture() : Future.failedFuture(err));
    }).compose(v -> Steps.each(spec.indexesFor(standIn), index -> {
      known.add(index.name());
      return declared(spec, index, remaining, mode, empty, report);
    })).onSuccess(v -> remaining.stream().map(JsonObject.class::cast)
      .map(IndexSpec.Listed::of)
      .filter(index -> !known.contains(index.name()))
      .forEach(index -> report.unmanaged(spec.name() + "." + index.name() + " " + describeListed(index))));
  }

  /** Retired indexes, and on a real server the stand-in-only ones (an older release built them everywhere). */
  private static List<String> obsolete(CollectionSpec spec, boolean standIn) {
    List<String> names = new java.util.ArrayList<>(spec.retired());
    if (!standIn) spec.indexes().stream().filter(IndexSpec::standInOnly).forEach(index -> names.add(index.name()));
    return names;
  }

  private Future<Void> declared(CollectionSpec spec, IndexSpec index, JsonArray listed, Mode mode, boolean empty,
                                SchemaReport report) {
    String where = spec.name() + "." + index.name();
    JsonObject sameName = find(listed, index.name());
    if (sameName != null) {
      if (!index.matches(sameName)) {
        report.conflict(where + ": the database has " + describeListed(IndexSpec.Listed.of(sameName)) + ", the manifest declares "
          + index.describe().encode() + ". Drop it (db." + spec.name() + ".dropIndex(\"" + index.name() + "\")) once "
          + "nothing depends on it, then run migrate again.");
      }
      return Future.succeededFuture();
    }
    JsonObject sameKeys = findByKeys(listed, index);
    if (sameKeys != null) {
      report.conflict(where + ": its keys " + index.keys().encode() + " are already indexed as \""
        + IndexSpec.Listed.of(sameKeys).name() + "\"; MongoDB refuses a second index on the same keys. Drop or rename one.");
      return Future.succeededFuture();
    }
    if (mode == Mode.CHECK || (mode == Mode.EMPTY_ONLY && !empty)) {
      report.pending("build index " + where + " " + index.describe().encode());
      return Future.succeededFuture();
    }
    return mongo.createIndexWithOptions(spec.name(), index.keys(), index.options())
      .onSuccess(v -> report.done("built index " + where + " " + index.keys().encode()));
  }

  private static JsonObject find(JsonArray listed, String name) {
    return listed.stream().map(JsonObject.class::cast).filter(index -> name.equals(IndexSpec.Listed.of(index).name())).findFirst().orElse(null);
  }

  private static JsonObject findByKeys(JsonArray listed, IndexSpec index) {
    return listed.stream().map(JsonObject.class::cast).filter(i -> index.sameKeys(IndexSpec.Listed.of(i).key())).findFirst().orElse(null);
  }

  private static String describeListed(IndexSpec.Listed listed) {
    return RecordCodec.toApi(listed.describe()).encode();
  }

  private static final int NAMESPACE_EXISTS = 48;
  private static final int INDEX_NOT_FOUND = 27;

  private static boolean hasCode(Throwable err, int code) {
    return err instanceof com.mongodb.MongoCommandException command && command.getErrorCode() == code;
  }
}
