package io.stockroom.platform.unit;

import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.client.model.WriteModel;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.bson.Document;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The queued writes of one transaction, held per collection and sent as one ordered bulk write each: a collection's
 * writes go out before any other write to that collection (so the writes to one document keep their order), at the
 * latest before the commit ({@link #flushAll}), and at once when {@link #MAX_HELD} are waiting. Bulks are sent one
 * after another, never concurrently (they share the transaction's session).
 *
 * <p>Held compare-and-sets and upserts each match (or create) one document: a bulk whose counts fall short had a
 * compare-and-set that matched nothing, and fails the unit with 409 as the compensating runner does.
 */
final class HeldWrites {
  /** Writes held per collection at most; past it they are sent (a unit's memory stays bounded). */
  static final int MAX_HELD = 1_000;

  private record Held(WriteModel<Document> model, boolean mustMatch) {
  }

  private final BiFunction<String, List<WriteModel<Document>>, Future<BulkWriteResult>> send;
  private final Map<String, List<Held>> byCollection = new LinkedHashMap<>();

  /** @param send one ordered bulk write of the models to the collection, in the transaction */
  HeldWrites(BiFunction<String, List<WriteModel<Document>>, Future<BulkWriteResult>> send) {
    this.send = send;
  }

  /**
   * Holds a write; {@code mustMatch} for a compare-and-set or an upsert (it must match or create one document).
   * Completes at once, or once the collection's writes were sent when the hold is full.
   */
  Future<Void> hold(String collection, WriteModel<Document> model, boolean mustMatch) {
    List<Held> held = byCollection.computeIfAbsent(collection, c -> new ArrayList<>());
    held.add(new Held(model, mustMatch));
    return held.size() >= MAX_HELD ? flush(collection) : Future.succeededFuture();
  }

  /** Sends the writes held for {@code collection}, if any. */
  Future<Void> flush(String collection) {
    List<Held> held = byCollection.remove(collection);
    if (held == null || held.isEmpty()) return Future.succeededFuture();
    long mustMatch = held.stream().filter(Held::mustMatch).count();
    return send.apply(collection, held.stream().map(Held::model).toList())
      .compose(result -> result.getMatchedCount() + result.getUpserts().size() >= mustMatch ? Future.<Void>succeededFuture()
        : Future.failedFuture(CompareAndSet.changed(collection, new JsonObject())));
  }

  /** Sends every collection's held writes, one collection after another. */
  Future<Void> flushAll() {
    return Steps.each(List.copyOf(byCollection.keySet()), this::flush);
  }
}
