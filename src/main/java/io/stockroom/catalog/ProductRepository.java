package io.stockroom.catalog;

import io.stockroom.inventory.SearchKeys;
import io.stockroom.platform.lock.LockKind;
import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.RecordCollection;
import io.stockroom.platform.unit.GuardedCounter;
import io.stockroom.platform.unit.Steps;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

import java.util.List;
import java.util.Set;

/**
 * The {@code products} collection: {@link Product}s, one document each. {@code variantCount} changes inside the units
 * that create and delete variants, and a product is deleted only by a write whose filter requires it to be 0, so
 * creating a variant and deleting its product at the same moment cannot both succeed.
 */
public class ProductRepository extends RecordCollection<Product> {
  public static final String COLLECTION = "products";
  /** The lock of a product (its rank in the lock order and the collection it guards). */
  public static final LockKind LOCK = LockKind.parent("product", COLLECTION);

  private final GuardedCounter dependants;

  public ProductRepository(MongoClient mongo) {
    super(mongo, COLLECTION, "Product", Product::toDocument, Product::fromDocument, Product::toApi);
    this.dependants = new GuardedCounter(mongo, this, Product.VARIANT_COUNT);
  }

  /** {@code delta} variants were created (or deleted, negative) under the product; 404 when it does not exist. */
  public Future<Void> variantsAdded(Unit unit, String tenantId, String productId, long delta) {
    return dependants.add(unit, tenantId, productId, delta);
  }

  /** Inside a unit: a new product named {@code name} (undone with the unit); the product document. */
  public Future<JsonObject> create(Unit unit, String tenantId, String name) {
    JsonObject product = Product.create(tenantId, name, null, null).toDocument();
    return unit.insert(COLLECTION, product).map(product);
  }

  /** The tenant's oldest product with exactly this name, or null. */
  public Future<JsonObject> findByName(String tenantId, String name) {
    return mongo.findWithOptions(COLLECTION, Ops.where(Fields.TENANT_ID, tenantId).put(Product.NAME, name.trim()),
        new io.vertx.ext.mongo.FindOptions().setSort(Ops.sort(Fields.ID)).setLimit(1))
      .map(found -> found.isEmpty() ? null : found.get(0));
  }

  /** Every product of the tenant, with only its name (and id): the names other features show next to variants. */
  public Future<List<JsonObject>> names(String tenantId) {
    return mongo.findWithOptions(COLLECTION, Ops.where(Fields.TENANT_ID, tenantId), new FindOptions().setFields(Ops.only(Product.NAME)));
  }

  /** The tenant's products with these ids that exist, in one query, with only their names (and ids). */
  public Future<List<JsonObject>> names(String tenantId, Set<String> ids) {
    JsonObject filter = Ops.where(Fields.TENANT_ID, tenantId).put(Fields.ID, Ops.in(ids));
    return mongo.findWithOptions(COLLECTION, filter, new FindOptions().setFields(Ops.only(Product.NAME)));
  }

  /** One product's name (and id), by an exact lookup, or null. */
  public Future<JsonObject> name(String tenantId, String id) {
    return mongo.findOne(COLLECTION, Mongo.byId(tenantId, id), Ops.only(Product.NAME));
  }

  /** Ids of the tenant's first {@code limit} products whose name or one of its words starts with {@code key} (see {@link SearchKeys}). */
  public Future<List<String>> idsByNameKey(String tenantId, String key, int limit) {
    return mongo.findWithOptions(COLLECTION, Ops.where(Fields.TENANT_ID, tenantId).put(Product.NAME_KEYS, key),
        new FindOptions().setSort(Ops.sort(Fields.ID)).setLimit(limit).setFields(Ops.only(Fields.ID)))
      .map(found -> found.stream().map(p -> p.getString(Fields.ID)).toList());
  }

  /** {@link #changeRecord}, keeping the name's search keys with a new name. */
  public Future<Product> change(String tenantId, String id, JsonObject changes) {
    JsonObject set = changes.copy();
    if (set.getString(Product.NAME) != null) set.put(Product.NAME_KEYS, new JsonArray(SearchKeys.name(set.getString(Product.NAME))));
    return changeRecord(tenantId, id, set);
  }

  /**
   * The upgrade of products to search (run by {@code migrate}, again after a rolling upgrade): every product whose
   * stored search keys are missing or are not those of its name gets them, so a product an older instance created or
   * renamed meanwhile is found by its current name. Walks the collection in {@code _id} pages; each update names the
   * name it computed the keys of, so a rename racing it wins.
   *
   * @return how many products got new keys
   */
  public Future<Long> backfillNameKeys() {
    return nameKeysAfter(null, 0);
  }

  private Future<Long> nameKeysAfter(String lastId, long fixed) {
    JsonObject after = lastId == null ? new JsonObject() : Ops.where(Fields.ID, Ops.gt(lastId));
    FindOptions page = new FindOptions().setSort(Ops.sort(Fields.ID)).setLimit(BACKFILL_PAGE)
      .setFields(Ops.only(Fields.TENANT_ID, Product.NAME, Product.NAME_KEYS));
    return mongo.findWithOptions(COLLECTION, after, page).compose(docs -> {
      long[] updated = {0};
      return Steps.each(docs, doc -> {
          String name = doc.getString(Product.NAME, "");
          JsonArray keys = new JsonArray(SearchKeys.name(name));
          if (keys.equals(doc.getJsonArray(Product.NAME_KEYS))) return Future.succeededFuture();
          updated[0]++;
          return mongo.updateCollection(COLLECTION, Mongo.byId(doc.getString(Fields.TENANT_ID), doc.getString(Fields.ID))
            .put(Product.NAME, name), Ops.set(Ops.where(Product.NAME_KEYS, keys)));
        })
        .compose(v -> docs.size() < BACKFILL_PAGE ? Future.succeededFuture(fixed + updated[0])
          : nameKeysAfter(docs.get(docs.size() - 1).getString(Fields.ID), fixed + updated[0]));
    });
  }

  private static final int BACKFILL_PAGE = 500;

  /** Deletes the product unless it has variants (409) or does not exist (404). */
  public Future<Void> deleteUnlessVariants(String tenantId, String productId) {
    return dependants.deleteWhileZero(tenantId, productId, "Product still has variants; delete them first");
  }
}
