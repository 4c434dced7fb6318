package io.stockroom.platform.mongo;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A per-tenant cap held by the capped documents themselves. Each document that counts carries a slot,
 * {@code "<tenantId>/<n>"} with n below the cap, under a unique index: a document is only ever inserted together with a
 * slot that no other document holds, so the unique index decides the cap, never a count read before the insert. The
 * slot leaves with its document (deleted, or its slot removed by the same write that ends it), so nothing is taken
 * apart from the document: no counter to give back twice, nothing to reconcile after a process died.
 *
 * <p>Documents written before slots existed get a free one (a guarded update) at the tenant's next insert; a tenant
 * over its cap from back then gets 409 until enough of them are gone.
 */
public final class TenantSlots {
  public static final String FIELD = "slot";
  /**
   * The name of the index on {@link #FIELD} the capped collection declares, unique and sparse: documents that hold no
   * slot (ended, or written before slots) are not in it.
   */
  public static final String INDEX = "slot_unique";
  /** Reads of the held slots per insert: each lost race means another insert took a slot in between. */
  private static final int ATTEMPTS = 64;

  private final MongoClient mongo;
  private final ScopedCollection documents;
  private final JsonObject holders;
  private final String overCap;

  /**
   * @param holders  which of a tenant's documents count against the cap, besides its tenantId ({} for all of them)
   * @param overCap  the 409 detail
   */
  public TenantSlots(MongoClient mongo, ScopedCollection documents, JsonObject holders, String overCap) {
    this.mongo = mongo;
    this.documents = documents;
    this.holders = holders;
    this.overCap = overCap;
  }

  /** Inserts {@code doc} (with _id and tenantId) holding a free slot of its tenant's {@code cap}; 409 when none is. */
  public Future<JsonObject> insert(JsonObject doc, int cap) {
    return attempt(doc, cap, ATTEMPTS);
  }

  /** For the write that ends a holder without deleting it: gives its slot back. */
  public static JsonObject released() {
    return new JsonObject().put(FIELD, "");
  }

  private Future<JsonObject> attempt(JsonObject doc, int cap, int attemptsLeft) {
    String tenantId = doc.getString(Fields.TENANT_ID);
    return held(tenantId).compose(held -> {
      List<String> free = free(tenantId, held, cap);
      if (free.isEmpty()) return ServiceError.<JsonObject>fail(ErrorCode.CONFLICT, overCap);
      if (attemptsLeft == 0) return ServiceError.<JsonObject>fail(ErrorCode.UNAVAILABLE, "Too many concurrent creations; retry");
      String slot = free.get(ThreadLocalRandom.current().nextInt(free.size()));
      Optional<JsonObject> slotless = held.stream().filter(h -> h.getValue(FIELD) == null).findFirst();
      if (slotless.isPresent()) return giveSlot(tenantId, slotless.get(), slot).compose(v -> attempt(doc, cap, attemptsLeft - 1));
      return insertHolding(doc, slot).compose(inserted -> inserted != null
        ? Future.succeededFuture(inserted)
        : attempt(doc, cap, attemptsLeft - 1));
    });
  }

  /** The tenant's documents that count, with their slots (a capped collection: a bounded read). */
  private Future<List<JsonObject>> held(String tenantId) {
    return mongo.findWithOptions(documents.name(), holders.copy().put(Fields.TENANT_ID, tenantId),
      new FindOptions().setFields(new JsonObject().put(FIELD, 1)));
  }

  /** The slots below {@code cap} nobody holds; none once as many documents as the cap count (a lowered cap). */
  private static List<String> free(String tenantId, List<JsonObject> held, int cap) {
    Set<String> taken = new HashSet<>();
    held.forEach(h -> { if (h.getValue(FIELD) != null) taken.add(h.getString(FIELD)); });
    List<String> free = new ArrayList<>();
    if (taken.size() >= cap) return free;
    for (int n = 0; n < cap; n++) {
      if (!taken.contains(key(tenantId, n))) free.add(key(tenantId, n));
    }
    return free;
  }

  static String key(String tenantId, int n) {
    return tenantId + "/" + n;
  }

  /** The document with its slot, or null when another document took the slot first. */
  private Future<JsonObject> insertHolding(JsonObject doc, String slot) {
    JsonObject holding = doc.copy().put(FIELD, slot);
    return mongo.insert(documents.name(), holding).map(id -> holding)
      .recover(err -> slotTaken(err) ? Future.succeededFuture() : Future.failedFuture(documents.insertFailure(holding, err)));
  }

  /** A document from before slots takes one, unless another write took it or the document first. */
  private Future<Void> giveSlot(String tenantId, JsonObject slotless, String slot) {
    JsonObject filter = Mongo.byId(tenantId, slotless.getString(Fields.ID)).put(FIELD, Ops.exists(false));
    return mongo.updateCollection(documents.name(), filter, Ops.set(FIELD, slot))
      .<Void>mapEmpty()
      .recover(err -> slotTaken(err) ? Future.succeededFuture() : Future.failedFuture(err));
  }

  /** A duplicate key on the slot index (MongoDB and the stand-in both name the index in the message). */
  private static boolean slotTaken(Throwable err) {
    return Mongo.isDuplicateKey(err) && String.valueOf(err.getMessage()).contains(INDEX);
  }
}
