package io.stockroom.platform.audit;

import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The append-only audit log of administrative changes: {_id, tenantId, createdAt, actor, from, requestId, action,
 * target {type, id}, details}. Entries are only ever inserted. An entry is written right after the change it records;
 * if MongoDB fails in between, the change stands and the entry goes to the service log at ERROR instead (failing the
 * request would tell the client a change that was made had not been).
 */
public final class AuditTrail {
  public static final String COLLECTION = "audit_log";
  /** Marks of configuration changes already recorded, so every instance starting with them records each once. */
  public static final String MARKS = "audit_marks";
  /** The tenantId of entries about the whole service (signing keys), shown to every tenant's OWNER. */
  public static final String PLATFORM = "platform";
  private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);
  static final String ACTION = "action";
  /** The page's {@code action} query parameter: only entries of that action. */
  private record PageQuery(String action) {
  }

  /** What a change acted on: {type, id}. */
  record Target(String type, String id) {
  }

  /** A stored entry: {_id, tenantId, createdAt, actor, from, requestId, action, target, details}. */
  record Stored(@Key("_id") String id, String tenantId, Instant createdAt, AuditEntry.Actor actor, String from, String requestId,
                String action, Target target, JsonObject details) {
    static Stored of(AuditEntry entry, Instant at) {
      return new Stored(Mongo.newId(), entry.tenantId(), at, entry.actor(), entry.from(), entry.requestId(), entry.action().name(),
        new Target(entry.targetType(), entry.targetId()), entry.details());
    }

    /** As clients read it: its scope is PLATFORM for the whole service's entries, else TENANT. */
    View view() {
      return new View(id, createdAt, PLATFORM.equals(tenantId) ? "PLATFORM" : "TENANT", actor, from, requestId, action, target,
        (JsonObject) Mongo.toApiValue(details));
    }
  }

  /**
   * An entry as clients read it. {@code from} and {@code requestId} are always answered, null when the change came
   * with none (a change of the operator's configuration).
   */
  record View(String id, Instant createdAt, String scope, AuditEntry.Actor actor, String from, String requestId, String action,
              Target target, JsonObject details) {
    static final String FROM = "from";
    static final String REQUEST_ID = "requestId";

    JsonObject toApi() {
      JsonObject api = RecordCodec.toApi(this);
      if (from == null) api.putNull(FROM);
      if (requestId == null) api.putNull(REQUEST_ID);
      return api;
    }
  }

  /** A mark of a configuration change already recorded: {_id: mark, createdAt}. */
  private record Mark(@Key("_id") String id, Instant createdAt) {
  }

  private final MongoClient mongo;

  public AuditTrail(MongoClient mongo) {
    this.mongo = mongo;
  }

  public Future<Void> record(AuditEntry entry) {
    JsonObject doc = RecordCodec.toDocument(Stored.of(entry, Instant.now().truncatedTo(ChronoUnit.MILLIS)));
    return mongo.insert(COLLECTION, doc)
      .recover(err -> mongo.insert(COLLECTION, doc))
      .<Void>mapEmpty()
      .recover(err -> {
        LOG.error("Audit entry not stored ({}): {}", err.getMessage(), doc.encode());
        return Future.succeededFuture();
      });
  }

  /** Records the entry unless an entry with the same {@code mark} was recorded before (by any instance). */
  public Future<Void> recordOnce(String mark, AuditEntry entry) {
    return mongo.insert(MARKS, RecordCodec.toDocument(new Mark(mark, Instant.now().truncatedTo(ChronoUnit.MILLIS))))
      .compose(inserted -> record(entry), err -> Mongo.isDuplicateKey(err) ? Future.succeededFuture()
        : Future.failedFuture(err));
  }

  /** The tenant's entries and the service-wide ones, oldest first, one cursor page at a time. */
  public Future<JsonObject> page(String tenantId, JsonObject query) {
    Page page = Page.from(query);
    JsonObject filter = Mongo.createdBetween(new JsonObject(), query).put(Fields.TENANT_ID, Ops.in(List.of(tenantId, PLATFORM)));
    String action = RecordCodec.api(PageQuery.class).decode(query).action();
    if (action != null) filter.put(ACTION, action);
    return mongo.findWithOptions(COLLECTION, page.filter(filter), page.findOptions())
      .map(docs -> page.result(docs, doc -> RecordCodec.fromDocument(Stored.class, doc).view().toApi()));
  }
}
