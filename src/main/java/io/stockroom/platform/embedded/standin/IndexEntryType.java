package io.stockroom.platform.embedded.standin;

import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

import java.nio.ByteBuffer;

/**
 * How an {@link OrderedIndex}'s keys are ordered and stored in the MVStore: compared as MongoDB compares index keys
 * (per field direction), written value by value with H2's object serialization (null as a tag of its own).
 */
final class IndexEntryType extends BasicDataType<IndexEntry> {
  private final boolean[] ascending;
  private final NullableValues values = new NullableValues();

  IndexEntryType(boolean[] ascending) {
    this.ascending = ascending.clone();
  }

  @Override
  public int compare(IndexEntry a, IndexEntry b) {
    return IndexEntry.compare(a, b, ascending);
  }

  @Override
  public int getMemory(IndexEntry entry) {
    return 48 + 40 * entry.values().length;
  }

  @Override
  public void write(WriteBuffer buffer, IndexEntry entry) {
    for (Object value : entry.values()) values.write(buffer, value);
    values.write(buffer, entry.position());
  }

  @Override
  public IndexEntry read(ByteBuffer buffer) {
    Object[] read = new Object[ascending.length];
    for (int i = 0; i < read.length; i++) read[i] = values.read(buffer);
    return new IndexEntry(read, values.read(buffer));
  }

  @Override
  public IndexEntry[] createStorage(int size) {
    return new IndexEntry[size];
  }
}
