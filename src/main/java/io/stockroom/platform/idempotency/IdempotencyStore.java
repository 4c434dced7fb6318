package io.stockroom.platform.idempotency;

import io.stockroom.platform.BusRequest;
import io.stockroom.platform.ErrorCode;
import io.stockroom.platform.Mongo;
import io.stockroom.platform.Reply;
import io.stockroom.platform.ServiceError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * {@code Idempotency-Key} semantics, per tenant and operation. The first request with a key claims it (an insert on
 * the record's {@code _id}, so two racing requests cannot both claim it) and stores its final status and body:
 * <ul>
 *   <li>same key, same payload, first one finished → the stored status and body are replayed, nothing is written;</li>
 *   <li>same key, different payload → 422;</li>
 *   <li>same key while the first is still running → 409;</li>
 *   <li>a first attempt that failed with 5xx (nothing changed) releases the key so it can be retried.</li>
 * </ul>
 * Records expire after {@code idempotency.retentionHours} (TTL index on {@code expiresAt}).
 */
public final class IdempotencyStore {
  public static final String COLLECTION = "idempotency_keys";

  private final MongoClient mongo;
  private final Duration retention;

  public IdempotencyStore(MongoClient mongo, Duration retention) {
    this.mongo = mongo;
    this.retention = retention;
  }

  public static Future<Void> createIndexes(MongoClient mongo) {
    return mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("expiresAt", 1),
      new IndexOptions().name("expires").expireAfter(0L, java.util.concurrent.TimeUnit.SECONDS));
  }

  /** Wraps an operation: keyed requests get the semantics above; requests without a key just run. */
  public Function<BusRequest, Future<Reply>> wrap(String operation, Function<BusRequest, Future<Reply>> work) {
    return request -> {
      String key = request.idempotencyKey();
      if (key == null) return work.apply(request);
      String id = request.tenantId() + ":" + operation + ":" + key;
      String fingerprint = fingerprint(operation, request);
      JsonObject claim = new JsonObject()
        .put("_id", id)
        .put("tenantId", request.tenantId())
        .put("fingerprint", fingerprint)
        .put("state", "RUNNING")
        .put("createdAt", Mongo.now())
        .put("expiresAt", Mongo.date(Instant.now().plus(retention)));
      return mongo.insert(COLLECTION, claim)
        .transform(claimed -> {
          if (claimed.succeeded()) return runAndRecord(id, request, work);
          if (Mongo.isDuplicateKey(claimed.cause())) return replay(id, fingerprint);
          return Future.failedFuture(claimed.cause());
        });
    };
  }

  private Future<Reply> runAndRecord(String id, BusRequest request, Function<BusRequest, Future<Reply>> work) {
    Future<Reply> result;
    try {
      result = work.apply(request);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    return result.transform(outcome -> {
      JsonObject byId = new JsonObject().put("_id", id);
      if (outcome.succeeded()) {
        Reply reply = outcome.result();
        return mongo.updateCollection(COLLECTION, byId, new JsonObject().put("$set", new JsonObject()
            .put("state", "DONE").put("status", reply.status()).put("body", reply.body())))
          .map(reply);
      }
      Throwable err = outcome.cause();
      if (err instanceof ServiceError se && se.code().status() < 500) {
        return mongo.updateCollection(COLLECTION, byId, new JsonObject().put("$set", new JsonObject()
            .put("state", "DONE").put("status", se.code().status()).put("error", new JsonObject()
              .put("code", se.code().slug()).put("detail", se.detail()).put("extensions", se.extensions()))))
          .transform(ignored -> Future.failedFuture(err));
      }
      return mongo.removeDocument(COLLECTION, byId).transform(ignored -> Future.failedFuture(err));
    });
  }

  private Future<Reply> replay(String id, String fingerprint) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", id), null).compose(record -> {
      if (record == null) {
        return ServiceError.fail(ErrorCode.CONFLICT, "A request with this Idempotency-Key just finished failing; retry");
      }
      if (!fingerprint.equals(record.getString("fingerprint"))) {
        return ServiceError.fail(ErrorCode.UNPROCESSABLE, "This Idempotency-Key was used with a different request payload");
      }
      if (!"DONE".equals(record.getString("state"))) {
        return ServiceError.fail(ErrorCode.CONFLICT, "A request with this Idempotency-Key is still being processed");
      }
      JsonObject error = record.getJsonObject("error");
      if (error != null) {
        ErrorCode code = ErrorCode.fromSlug(error.getString("code"));
        return Future.failedFuture(new ServiceError(code == null ? ErrorCode.forStatus(record.getInteger("status")) : code,
          error.getString("detail"), error.getJsonObject("extensions")));
      }
      return Future.succeededFuture(new Reply(record.getInteger("status"), record.getValue("body")));
    });
  }

  /** SHA-256 of the operation, path parameters and body, with object keys sorted (key order does not matter). */
  static String fingerprint(String operation, BusRequest request) {
    String canonical = canonical(new JsonObject().put("op", operation).put("path", request.path()).put("body", request.body()));
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String canonical(Object value) {
    if (value instanceof JsonObject obj) {
      TreeMap<String, Object> sorted = new TreeMap<>(obj.getMap());
      StringBuilder out = new StringBuilder("{");
      sorted.forEach((k, v) -> out.append(new JsonArray().add(k).encode()).append(':').append(canonical(obj.getValue(k))).append(','));
      return out.append('}').toString();
    }
    if (value instanceof JsonArray arr) {
      StringBuilder out = new StringBuilder("[");
      arr.forEach(v -> out.append(canonical(v)).append(','));
      return out.append(']').toString();
    }
    return new JsonArray().add(value).encode();
  }
}
