package io.stockroom.platform.mongo;

import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.bus.ErrorCode;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoWriteException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import org.bson.types.ObjectId;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Small helpers shared by the repositories: ids, dates, API projection and error classification. */
public final class Mongo {
  private Mongo() {
  }

  /** A new id: an ObjectId's hex form, so ids sort by creation time (stable cursor order). */
  public static String newId() {
    return new ObjectId().toHexString();
  }

  public static boolean isId(String text) {
    return text != null && ObjectId.isValid(text);
  }

  /** A BSON date (a raw Instant would be stored as a string). */
  public static JsonObject date(Instant instant) {
    return new JsonObject().put("$date", instant.toString());
  }

  /** The instant of a stored BSON date, as {@link #date} writes it and documents read back hold it; null for none. */
  public static Instant instant(Object stored) {
    if (stored == null) return null;
    Object date = stored instanceof JsonObject bson ? bson.getValue("$date") : stored;
    return date instanceof Instant at ? at : Instant.parse(String.valueOf(date));
  }

  /** An instant as every answer carries it: RFC 3339 in UTC with milliseconds. */
  public static String apiInstant(Instant instant) {
    return instant == null ? null : API_DATE.format(instant);
  }

  /** Parses a client-supplied ISO-8601 instant into a BSON date; anything else is a 400 naming the field. */
  public static JsonObject parseDate(String field, String text) {
    return date(parseInstant(field, text));
  }

  /**
   * The dates a client may send: BSON dates outside these years come back from the server as extended JSON instead of
   * ISO-8601 text, so they are refused rather than stored.
   */
  public static final Instant EARLIEST_DATE = Instant.parse("1970-01-01T00:00:00Z");
  public static final Instant LATEST_DATE = Instant.parse("9999-12-31T23:59:59.999Z");

  /** Kept to the millisecond, the precision BSON keeps, so what the client sent reads back exactly. */
  static Instant parseInstant(String field, String text) {
    Instant instant;
    try {
      instant = java.time.OffsetDateTime.parse(text).toInstant().truncatedTo(ChronoUnit.MILLIS);
    } catch (java.time.format.DateTimeParseException e) {
      throw new ServiceError(ErrorCode.VALIDATION, field + " must be an ISO-8601 date-time such as 2026-01-31T00:00:00Z");
    }
    if (instant.isBefore(EARLIEST_DATE) || instant.isAfter(LATEST_DATE)) {
      throw new ServiceError(ErrorCode.VALIDATION, field + " must be between " + EARLIEST_DATE + " and " + LATEST_DATE);
    }
    return instant;
  }

  /**
   * {createdAt: {$gte: from, $lt: to}} from optional {@code from}/{@code to} query parameters, into {@code filter}; a
   * {@code from} after {@code to} is a 400, not an empty page. The same instants also bound {@code _id} (ids are
   * ObjectIds, which start with their creation second; widened by {@link #ID_BEFORE_CREATED_AT} below and a second
   * above), so that a list or export in {@code _id} order walks one bounded range of its {tenantId, ..., _id} index and
   * {@code createdAt} only trims the edges.
   */
  public static JsonObject createdBetween(JsonObject filter, JsonObject query) {
    CreatedBetween asked = RecordCodec.api(CreatedBetween.class).decode(query);
    Instant from = asked.from() == null ? null : parseInstant("from", asked.from());
    Instant to = asked.to() == null ? null : parseInstant("to", asked.to());
    if (from != null && to != null && from.isAfter(to)) {
      throw new ServiceError(ErrorCode.VALIDATION, "from (" + asked.from() + ") is after to (" + asked.to() + ")");
    }
    JsonObject range = new JsonObject();
    if (from != null) range.mergeIn(Ops.gte(date(from)));
    if (to != null) range.mergeIn(Ops.lt(date(to)));
    if (!range.isEmpty()) filter.put(Fields.CREATED_AT, range);
    JsonObject ids = new JsonObject();
    if (from != null) ids.mergeIn(Ops.gte(idAt(Math.max(0, from.getEpochSecond() - ID_BEFORE_CREATED_AT.toSeconds()))));
    if (to != null) {
      // an ObjectId's time is 4 bytes of seconds: past 2106-02-07 the bound is the largest id, i.e. every id
      if (to.getEpochSecond() + 1 <= MAX_ID_SECONDS) ids.mergeIn(Ops.lt(idAt(to.getEpochSecond() + 1)));
      else ids.mergeIn(Ops.lte(LARGEST_ID));
    }
    if (!ids.isEmpty()) filter.put(Fields.ID, ids);
    return filter;
  }

  /** The query parameters bounding a list by creation time: ISO-8601 text, each optional. */
  private record CreatedBetween(String from, String to) {
  }

  private static final long MAX_ID_SECONDS = 0xFFFFFFFFL;
  private static final String LARGEST_ID = "ffffffffffffffffffffffff";

  /**
   * How much earlier than its {@code createdAt} a document's id may have been made: ids are made first, within the
   * same unit of work (an order's id before its sales, a movement's together with its time).
   */
  static final java.time.Duration ID_BEFORE_CREATED_AT = java.time.Duration.ofSeconds(60);

  /** The smallest id made at second {@code epochSecond}, 0 to 2^32 - 1 (ObjectIds start with their creation second). */
  public static String idAt(long epochSecond) {
    return String.format("%08x", epochSecond) + "0000000000000000";
  }

  /** Millisecond precision, the precision BSON dates keep, so a created document reads back as it was answered. */
  public static JsonObject now() {
    return date(Instant.now().truncatedTo(ChronoUnit.MILLIS));
  }

  /** The scoped filter every single-document read or write starts from. */
  public static JsonObject byId(String tenantId, String id) {
    return Ops.where(Fields.ID, id).put(Fields.TENANT_ID, tenantId);
  }

  /** The name clients read a document's {@code _id} under. */
  private static final String API_ID = "id";

  /** Bookkeeping fields no client sees: compare-and-set versions, applied-undo markers, ledger entry counts. */
  private static final java.util.Set<String> INTERNAL = java.util.Set.of("_id", "tenantId", "version", "pending", "movements",
    "writtenBy", "fence", "recentWrites", "slot");

  /**
   * What clients see: {@code _id} as {@code id}, dates as ISO-8601 strings, exact amounts (Decimal128) as strings of
   * digits ({@code io.stockroom.platform.money.Amounts}), no tenantId or bookkeeping.
   */
  public static JsonObject toApi(JsonObject doc) {
    JsonObject out = new JsonObject();
    out.put(API_ID, doc.getValue(Fields.ID));
    doc.forEach(entry -> {
      if (!INTERNAL.contains(entry.getKey())) {
        out.put(entry.getKey(), plain(entry.getValue()));
      }
    });
    return out;
  }

  /**
   * A value as clients see it: dates as RFC 3339 strings with milliseconds, exact amounts as digits. For parts of an
   * answer that are not a document of their own (a receipt inside a transfer's answer).
   */
  public static Object toApiValue(Object value) {
    return plain(value);
  }

  /** Always three fraction digits, so that an answer and its replay (read back from MongoDB) are the same text. */
  private static final java.time.format.DateTimeFormatter API_DATE =
    java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);

  private static Object plain(Object value) {
    return rewrite(value, v -> {
      if (v instanceof java.math.BigDecimal amount) return amount.toPlainString();
      if (v instanceof JsonObject obj && obj.size() == 1 && obj.containsKey("$date")) return apiDate(obj.getValue("$date"));
      if (v instanceof JsonObject obj && obj.size() == 1 && obj.containsKey("$numberDecimal")) {
        return new java.math.BigDecimal(obj.getString("$numberDecimal")).toPlainString();
      }
      return null;
    });
  }

  private static String apiDate(Object date) {
    try {
      return API_DATE.format(Instant.parse(String.valueOf(date)));
    } catch (java.time.format.DateTimeParseException notAnInstant) {
      return String.valueOf(date);
    }
  }

  /**
   * A deep copy of {@code value} in which {@code replace} decides each value it answers for (non-null), outermost
   * first; objects and arrays it leaves are copied member by member.
   */
  private static Object rewrite(Object value, java.util.function.Function<Object, Object> replace) {
    Object replaced = replace.apply(value);
    if (replaced != null) return replaced;
    if (value instanceof JsonObject object) {
      JsonObject copy = new JsonObject();
      object.forEach(e -> copy.put(e.getKey(), rewrite(e.getValue(), replace)));
      return copy;
    }
    if (value instanceof JsonArray array) {
      JsonArray copy = new JsonArray();
      array.forEach(v -> copy.add(rewrite(v, replace)));
      return copy;
    }
    return value;
  }

  /** True when the failure is a unique-index violation, judged by error category, never by message text. */
  public static boolean isDuplicateKey(Throwable err) {
    for (Throwable t = err; t != null; t = t.getCause()) {
      if (t instanceof MongoWriteException w && w.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) return true;
      if (t instanceof MongoBulkWriteException b
        && b.getWriteErrors().stream().anyMatch(e -> ErrorCategory.fromErrorCode(e.getCode()) == ErrorCategory.DUPLICATE_KEY)) {
        return true;
      }
      if (t instanceof MongoCommandException c && ErrorCategory.fromErrorCode(c.getErrorCode()) == ErrorCategory.DUPLICATE_KEY) {
        return true;
      }
    }
    return false;
  }

  /**
   * A copy in which every exact amount (BigDecimal) is extended JSON ({@code $numberDecimal}): for the paths that turn
   * a document into JSON text and parse it back (the driver's transactions here, the Vert.x client's bulk updates),
   * where a plain JSON number would come back as a long (overflowing) or a double.
   */
  public static JsonObject withExactDecimals(JsonObject json) {
    return (JsonObject) rewrite(json, v -> v instanceof java.math.BigDecimal amount
      ? new JsonObject().put("$numberDecimal", amount.toPlainString()) : null);
  }
}
