package io.stockroom.platform.embedded.standin;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.ArrayFilters;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DefaultQueryMatcher;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.oplog.Oplog;
import org.h2.mvstore.MVMap;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A collection of the stand-in: H2's storage, with queries answered from the collection's indexes where MongoDB
 * would answer them so (a lookup by {@code _id}, an exact unique-key match, or a {@link QueryPlan} over an
 * {@link OrderedIndex}) instead of reading and sorting every document. What no index serves is still scanned.
 */
final class StandInCollection extends H2Collection {
  /** Queries of this process that no index served (system collections aside): each read its whole collection. */
  static final LongAdder FULL_SCANS = new LongAdder();

  /** An aggregation's leading {@code $match}, for the one read of its source collection that follows on this thread. */
  static final ThreadLocal<Document> LEADING_MATCH = new ThreadLocal<>();

  private final MVMap<Object, Document> documents;
  /** Set while an update runs: the engine then changes the documents a query returned, in place. */
  private boolean updating;

  StandInCollection(MongoDatabase database, String name, CollectionOptions options, MVMap<Object, Document> documents,
                    MVMap<String, Object> meta, CursorRegistry cursorRegistry) {
    super(database, name, options, documents, meta, cursorRegistry);
    this.documents = documents;
  }

  /**
   * The engine updates a document by changing the instance its query returned and storing it again. That instance is
   * the map's own, which the store's background writer may be encoding to the file at that moment (and which readers
   * outside this collection's lock may hold), so an update works on copies and stores a new instance.
   */
  @Override
  public synchronized Document updateDocuments(Document selector, Document updateQuery, ArrayFilters arrayFilters, boolean isMulti,
                                               boolean isUpsert, Oplog oplog) {
    updating = true;
    try {
      return super.updateDocuments(selector, updateQuery, arrayFilters, isMulti, isUpsert, oplog);
    } finally {
      updating = false;
    }
  }

  @Override
  public synchronized Document findAndModify(Document query) {
    updating = true;
    try {
      return super.findAndModify(query);
    } finally {
      updating = false;
    }
  }

  @Override
  protected QueryResult queryDocuments(Document query, Document orderBy, int skip, int limit, int batchSize,
                                       Document fieldSelector) {
    QueryResult result = indexedQuery(query, orderBy, skip, limit, batchSize, fieldSelector);
    if (!updating) return result;
    List<Document> copies = new ArrayList<>();
    for (Document document : result) copies.add(document.cloneDeeply());
    return new QueryResult(copies);
  }

  private QueryResult indexedQuery(Document query, Document orderBy, int skip, int limit, int batchSize, Document fieldSelector) {
    Object id = getIdField() == null ? null : exactId(query.get(getIdField()));
    if (id != null) {
      Document document = documents.get(id);
      return matchDocumentsFromStream(query, document == null ? Stream.empty() : Stream.of(document), skip, limit,
        batchSize, deriveComparator(orderBy), fieldSelector);
    }
    for (Index<Object> index : getIndexes()) {
      if (index.canHandle(query)) return super.queryDocuments(query, orderBy, skip, limit, batchSize, fieldSelector);
    }
    QueryPlan plan = QueryPlan.choose(query, orderBy, limit > 0, getIndexes());
    if (plan == null) {
      countFullScan();
      return super.queryDocuments(query, orderBy, skip, limit, batchSize, fieldSelector);
    }
    return matchDocumentsFromStream(plan.residual(query), plan.candidates(documents::get), skip, limit, batchSize,
      plan.servesOrder() ? null : deriveComparator(orderBy), fieldSelector);
  }

  /**
   * An aggregation reads its whole source collection; when it starts with a {@code $match} (which the database took
   * off the pipeline), only the documents that match it, found through an index as MongoDB would, one at a time
   * rather than as one list: an aggregation over a large ledger holds its groups, not its documents.
   */
  @Override
  public Stream<Document> queryAllAsStream() {
    Document match = LEADING_MATCH.get();
    if (match == null) return super.queryAllAsStream();
    LEADING_MATCH.remove();
    QueryPlan plan = QueryPlan.choose(match, null, false, getIndexes());
    // read outside this collection's lock: a matcher of its own, the whole match (a document may have changed since
    // the walk found it), and each document once (an update may move it into a later $in range)
    Predicate<Document> matches = StringMatch.of(match, new DefaultQueryMatcher());
    if (plan == null) countFullScan();
    if (plan == null || plan.keysToWalk() * SCAN_INSTEAD_ABOVE_ONE_IN > documents.sizeAsLong()) {
      return documents.values().stream().filter(matches);
    }
    Set<Object> seen = new HashSet<>();
    return plan.candidates(documents::get).filter(document -> seen.add(document.get(getIdField())) && matches.test(document));
  }

  /**
   * An aggregation's order does not matter, so when its match selects more than one document in this many, reading the
   * collection in storage order beats fetching each document by its key, whose hops across the file decode pages
   * again and again (half the time for a 50-variant ledger). Not counted as a full scan: an index serves the query, it
   * is just slower here.
   */
  private static final long SCAN_INSTEAD_ABOVE_ONE_IN = 8;

  private void countFullScan() {
    if (!getCollectionName().startsWith("system.")) FULL_SCANS.increment();
  }

  /** The id a query asks for by equality, when it is of a type that is stored under exactly that key. */
  private static Object exactId(Object value) {
    return value instanceof String || value instanceof ObjectId ? value : null;
  }
}
