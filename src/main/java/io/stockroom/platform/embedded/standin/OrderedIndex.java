package io.stockroom.platform.embedded.standin;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.exception.KeyConstraintError;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.Document;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A MongoDB index the stand-in can walk: an MVStore map of {@link IndexEntry} keys in the index's order, kept with
 * the data (off the heap and in the data file when the store has one). The stand-in's own engine keeps only unique
 * indexes, and only for equality; this one also serves equality prefixes, a range on the next field and sorts that
 * follow the index ({@link QueryPlan}). A unique index keeps the engine's index as {@code uniqueness}, which decides
 * duplicates and exact lookups, and adds the walkable order beside it.
 */
final class OrderedIndex extends Index<Object> {
  private static final String MULTIKEY = "multikey";

  private final MVStore store;
  private final MVMap<IndexEntry, Boolean> entries;
  private final MVMap<String, Boolean> meta;
  private final Index<Object> uniqueness;
  private final String idField;
  private final boolean[] ascending;
  private volatile boolean multikey;

  OrderedIndex(MVStore store, String mapName, String name, List<IndexKey> keys, boolean sparse, Index<Object> uniqueness,
               String idField) {
    super(name, keys, sparse);
    this.store = store;
    this.ascending = new boolean[keys.size()];
    for (int i = 0; i < keys.size(); i++) ascending[i] = keys.get(i).isAscending();
    this.entries = store.openMap(mapName, new MVMap.Builder<IndexEntry, Boolean>().keyType(new IndexEntryType(ascending)));
    this.meta = store.openMap(mapName + ".meta");
    this.multikey = Boolean.TRUE.equals(meta.get(MULTIKEY));
    this.uniqueness = uniqueness;
    this.idField = idField;
  }

  /** True once some document had an array in an indexed field: the walk may then meet a document more than once. */
  boolean multikey() {
    return multikey;
  }

  boolean ascending(int field) {
    return ascending[field];
  }

  /** The keys from {@code from} to {@code to}, both included, backwards when {@code reverse} ({@code from} is then the higher). */
  Cursor<IndexEntry, Boolean> walk(IndexEntry from, IndexEntry to, boolean reverse) {
    return entries.cursor(from, to, reverse);
  }

  /** How many keys lie from {@code from} to {@code to} (in index order, ends included): two tree descents, no walk. */
  long count(IndexEntry from, IndexEntry to) {
    return insertionPoint(to) - insertionPoint(from);
  }

  /** Where {@code key} is or would go among the keys (the map counts keys per page, so this is logarithmic). */
  private long insertionPoint(IndexEntry key) {
    long index = entries.getKeyIndex(key);
    return index >= 0 ? index : -(index + 1);
  }

  @Override
  public boolean isSparse() {
    return super.isSparse();
  }

  @Override
  public Object getPosition(Document document) {
    return uniqueness == null ? null : uniqueness.getPosition(document);
  }

  @Override
  public void checkAdd(Document document, MongoCollection<Object> collection) {
    if (uniqueness != null) uniqueness.checkAdd(document, collection);
  }

  @Override
  public void add(Document document, Object position, MongoCollection<Object> collection) {
    if (uniqueness != null) uniqueness.add(document, position, collection);
    for (Object[] values : keyValues(document)) entries.put(new IndexEntry(values, position), Boolean.TRUE);
  }

  @Override
  public Object remove(Document document) {
    Object position = positionOf(document);
    Object indexed = uniqueness != null ? uniqueness.remove(document) : position;
    for (Object[] values : keyValues(document)) entries.remove(new IndexEntry(values, position));
    return indexed;
  }

  @Override
  public boolean canHandle(Document query) {
    return uniqueness != null && uniqueness.canHandle(query);
  }

  @Override
  public Iterable<Object> getPositions(Document query) {
    return uniqueness.getPositions(query);
  }

  @Override
  public long getCount() {
    return entries.sizeAsLong();
  }

  @Override
  public boolean isEmpty() {
    return entries.isEmpty() && (uniqueness == null || uniqueness.isEmpty());
  }

  @Override
  public long getDataSize() {
    return uniqueness == null ? 0 : uniqueness.getDataSize();
  }

  @Override
  public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<Object> collection) {
    if (uniqueness != null) uniqueness.checkUpdate(oldDocument, newDocument, collection);
  }

  @Override
  public void updateInPlace(Document oldDocument, Document newDocument, Object position, MongoCollection<Object> collection)
    throws KeyConstraintError {
    if (uniqueness != null) uniqueness.updateInPlace(oldDocument, newDocument, position, collection);
    List<Object[]> before = keyValues(oldDocument);
    List<Object[]> after = keyValues(newDocument);
    if (sameKeys(before, after)) return;
    for (Object[] values : before) entries.remove(new IndexEntry(values, position));
    for (Object[] values : after) entries.put(new IndexEntry(values, position), Boolean.TRUE);
  }

  @Override
  public void drop() {
    if (uniqueness != null) uniqueness.drop();
    store.removeMap(entries);
    store.removeMap(meta);
  }

  @Override
  public boolean isUnique() {
    return uniqueness != null;
  }

  @Override
  public boolean hasSameOptions(Index<?> other) {
    return super.hasSameOptions(other) && isUnique() == other.isUnique();
  }

  private Object positionOf(Document document) {
    return Missing.ofNullable(Utils.getSubdocumentValue(document, idField));
  }

  /**
   * The index keys of {@code document}: one per element when an indexed field holds an array (an empty array counts
   * as null, so the document stays in the index), a missing field as null. None for a sparse index's document that
   * lacks every indexed field.
   */
  private List<Object[]> keyValues(Document document) {
    List<String> fields = keys();
    List<Object[]> keys = new ArrayList<>();
    keys.add(new Object[fields.size()]);
    boolean anyPresent = false;
    for (int i = 0; i < fields.size(); i++) {
      Object value = Utils.getSubdocumentValueCollectionAware(document, fields.get(i));
      if (!Missing.isNullOrMissing(value)) anyPresent = true;
      if (value instanceof Collection<?> elements && !elements.isEmpty()) {
        markMultikey();
        List<Object[]> expanded = new ArrayList<>();
        for (Object[] key : keys) {
          for (Object element : elements) {
            Object[] copy = key.clone();
            copy[i] = Missing.isNullOrMissing(element) ? null : element;
            expanded.add(copy);
          }
        }
        keys = expanded;
      } else {
        Object single = value instanceof Collection<?> || Missing.isNullOrMissing(value) ? null : value;
        for (Object[] key : keys) key[i] = single;
      }
    }
    return isSparse() && !anyPresent ? List.of() : keys;
  }

  private void markMultikey() {
    if (!multikey) {
      multikey = true;
      meta.put(MULTIKEY, Boolean.TRUE);
    }
  }

  private static boolean sameKeys(List<Object[]> before, List<Object[]> after) {
    if (before.size() != after.size()) return false;
    for (int i = 0; i < before.size(); i++) {
      Object[] a = before.get(i);
      Object[] b = after.get(i);
      for (int field = 0; field < a.length; field++) {
        if (!Objects.equals(a[field], b[field])) return false;
      }
    }
    return true;
  }
}
