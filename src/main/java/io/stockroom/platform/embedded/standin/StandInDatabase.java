package io.stockroom.platform.embedded.standin;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.AbstractSynchronizedMongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DatabaseResolver;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.NoopOplog;
import de.bwaldvogel.mongo.oplog.Oplog;
import io.netty.channel.Channel;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static de.bwaldvogel.mongo.backend.Constants.ID_FIELD;

/**
 * A database of the stand-in, stored in one MVStore with H2's layout (so a data file stays readable by H2's backend).
 * Unlike H2's, it keeps every index: secondary indexes as {@link OrderedIndex}es, unique ones on several fields with
 * a walkable order beside the engine's uniqueness check; and it removes what TTL indexes say has expired.
 */
final class StandInDatabase extends AbstractSynchronizedMongoDatabase<Object> {
  private static final String DATA_PREFIX = "databases.";
  private static final String META_PREFIX = "meta.";
  private static final String INDEXES = "system.indexes";
  private static final String EXPIRE_AFTER = "expireAfterSeconds";
  private static final int EXPIRY_BATCH = 1_000;

  private final MVStore store;

  StandInDatabase(String name, MVStore store, CursorRegistry cursorRegistry) {
    super(name, cursorRegistry);
    this.store = store;
    initializeNamespacesAndIndexes();
  }

  @Override
  public Document handleCommand(Channel channel, String command, Document query, DatabaseResolver resolver, Oplog oplog) {
    Document match = command.equalsIgnoreCase("aggregate") ? leadingMatch(query.get("pipeline")) : null;
    if (match == null) return super.handleCommand(channel, command, query, resolver, oplog);
    Document rest = new Document(query);
    rest.put("pipeline", ((List<?>) query.get("pipeline")).subList(1, ((List<?>) query.get("pipeline")).size()));
    StandInCollection.LEADING_MATCH.set(match);
    try {
      return super.handleCommand(channel, command, rest, resolver, oplog);
    } finally {
      StandInCollection.LEADING_MATCH.remove();
    }
  }

  /** The pipeline's first stage when it is a {@code $match}, which the source collection then applies as it reads. */
  private static Document leadingMatch(Object pipeline) {
    if (!(pipeline instanceof List<?> stages) || stages.isEmpty() || !(stages.get(0) instanceof Document first)) return null;
    return first.size() == 1 && first.get("$match") instanceof Document match ? match : null;
  }

  @Override
  protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
    String fullName = getFullCollectionNamespace(collectionName);
    MVMap<Object, Document> documents = store.openMap(DATA_PREFIX + fullName,
      new MVMap.Builder<Object, Document>().valueType(new BsonDocuments()));
    MVMap<String, Object> meta = store.openMap(META_PREFIX + fullName);
    return new StandInCollection(this, collectionName, options, documents, meta, cursorRegistry);
  }

  @Override
  protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
    MVMap<KeyValue, Object> positions = store.openMap(indexMap(collectionName, indexName),
      new MVMap.Builder<KeyValue, Object>().keyType(new KeyValueType()));
    UniqueKeys uniqueness = new UniqueKeys(positions, indexName, keys, sparse);
    if (idBeforeLastKey(keys)) return uniqueness;
    return new OrderedIndex(store, indexMap(collectionName, indexName) + ".order", indexName, keys, sparse, uniqueness, ID_FIELD);
  }

  /**
   * Whether a walk of this index could never do better than a lookup by {@code _id}: {@code _id} alone, or {@code _id}
   * followed by more fields (a write-identity index). Such a unique index keeps no walkable order: one map less to
   * rewrite on every insert.
   */
  private static boolean idBeforeLastKey(List<IndexKey> keys) {
    for (int i = 0; i < keys.size(); i++) {
      if (keys.get(i).getKey().equals(ID_FIELD)) return keys.size() == 1 || i < keys.size() - 1;
    }
    return false;
  }

  @Override
  protected Index<Object> openOrCreateSecondaryIndex(String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
    return new OrderedIndex(store, indexMap(collectionName, indexName), indexName, keys, sparse, null, ID_FIELD);
  }

  @Override
  protected void dropIndex(MongoCollection<Object> collection, String indexName) {
    super.dropIndex(collection, indexName);
    store.removeMap(indexMap(collection.getCollectionName(), indexName));
  }

  @Override
  public void dropCollection(String collectionName, Oplog oplog) {
    super.dropCollection(collectionName, oplog);
    String fullName = getFullCollectionNamespace(collectionName);
    store.removeMap(DATA_PREFIX + fullName);
    store.removeMap(META_PREFIX + fullName);
  }

  @Override
  public void drop(Oplog oplog) {
    super.drop(oplog);
    String name = getDatabaseName();
    for (String map : List.copyOf(store.getMapNames())) {
      if (map.startsWith(name + ".") || map.startsWith(DATA_PREFIX + name + ".") || map.startsWith(META_PREFIX + name + ".")) {
        store.removeMap(map);
      }
    }
  }

  @Override
  protected long getStorageSize() {
    return store.getFileStore() == null ? 0 : store.getFileStore().size();
  }

  @Override
  protected long getFileSize() {
    return getStorageSize();
  }

  /**
   * Removes the documents whose TTL index date is more than its {@code expireAfterSeconds} before {@code now}, in
   * batches (each holds its collection only briefly), as MongoDB's TTL monitor does. Answers how many went.
   */
  long removeExpired(Instant now) {
    MongoCollection<Object> indexes = resolveCollection(INDEXES, false);
    if (indexes == null) return 0;
    List<Document> expiring = new ArrayList<>();
    indexes.handleQuery(new Document(EXPIRE_AFTER, new Document("$exists", true))).forEach(expiring::add);
    long removed = 0;
    for (Document description : expiring) {
      Document key = (Document) description.get("key");
      MongoCollection<Object> collection = resolveCollection(description.get("ns").toString().substring(getDatabaseName().length() + 1), false);
      if (collection == null || key == null || key.size() != 1) continue;
      Instant cutoff = now.minusSeconds(((Number) description.get(EXPIRE_AFTER)).longValue());
      Document expired = new Document(key.keySet().iterator().next(), new Document("$lt", cutoff));
      int batch;
      do {
        batch = collection.deleteDocuments(expired, EXPIRY_BATCH, NoopOplog.get());
        removed += batch;
      } while (batch == EXPIRY_BATCH);
    }
    return removed;
  }

  private String indexMap(String collectionName, String indexName) {
    return getFullCollectionNamespace(collectionName) + "._index_" + indexName;
  }
}
