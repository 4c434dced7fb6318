package io.stockroom.transfer;

import io.stockroom.inventory.kernel.StatusChange;
import io.stockroom.platform.lock.LockKind;
import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.mongo.ScopedCollection;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.util.List;

/**
 * The {@code transfers} collection: {@link Transfer}s, one document each, with the compare-and-set {@code version}.
 * Written only inside units of work, each change guarded by the version and status it was read with.
 */
public class TransferRepository extends ScopedCollection {
  public static final String COLLECTION = "transfers";
  /** The lock of a transfer (its rank in the lock order and the collection it guards). */
  public static final LockKind LOCK = LockKind.document("transfer", COLLECTION);

  /** What a transition may change; the rest of a transfer is fixed when it is created. */
  private static final List<String> CHANGING = List.of(Transfer.STATUS, Transfer.LINES, Transfer.RECEIPTS,
    Transfer.SHIPPED_AT, Transfer.RECEIVED_AT, Transfer.CANCELLED_AT);

  /** A transfer as read under its lock, holding the stored document a change guarded by that read starts from. */
  static final class AsRead {
    private final JsonObject document;
    private final Transfer transfer;

    private AsRead(JsonObject document) {
      this.document = document;
      this.transfer = Transfer.fromDocument(document);
    }

    Transfer transfer() {
      return transfer;
    }
  }

  public TransferRepository(MongoClient mongo) {
    super(mongo, COLLECTION, "Transfer");
  }

  /** The transfer, or NOT_FOUND. */
  Future<Transfer> find(String tenantId, String id) {
    return get(tenantId, id).map(Transfer::fromDocument);
  }

  /** The transfer, or NOT_FOUND, for a change to be guarded by this read. */
  Future<AsRead> read(String tenantId, String id) {
    return get(tenantId, id).map(AsRead::new);
  }

  Future<JsonObject> search(String tenantId, TransferStatus status, Page page) {
    return page(tenantId, status == null ? new JsonObject() : Ops.where(Transfer.STATUS, status.name()), page);
  }

  @Override
  protected JsonObject view(JsonObject doc) {
    return Transfer.fromDocument(doc).toApi();
  }

  /** Inside a unit: a new transfer (undone with the unit). */
  Future<Void> insert(Unit unit, Transfer transfer) {
    return unit.insert(COLLECTION, transfer.toDocument().put(Fields.VERSION, 0L));
  }

  /** Inside a unit: {@code after} replaces the transfer as read, unless it changed since (409); the transfer as stored. */
  Future<Transfer> change(Unit unit, AsRead before, Transfer after) {
    JsonObject changed = after.toDocument();
    JsonObject set = new JsonObject();
    CHANGING.stream().filter(changed::containsKey).forEach(field -> set.put(field, changed.getValue(field)));
    return StatusChange.apply(unit, COLLECTION, before.document, set, "transfer").map(Transfer::fromDocument);
  }
}
