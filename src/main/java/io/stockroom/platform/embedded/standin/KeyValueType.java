package io.stockroom.platform.embedded.standin;

import de.bwaldvogel.mongo.backend.KeyValue;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The keys of a unique index in the MVStore: compared value by value as MongoDB compares them. H2's default key type
 * would Java-serialize both keys on every comparison, since {@link KeyValue} is not {@link Comparable}.
 */
final class KeyValueType extends BasicDataType<KeyValue> {
  private final NullableValues values = new NullableValues();

  @Override
  public int compare(KeyValue a, KeyValue b) {
    int common = Math.min(a.size(), b.size());
    for (int i = 0; i < common; i++) {
      int order = KeyOrder.compare(a.get(i), b.get(i));
      if (order != 0) return order;
    }
    return Integer.compare(a.size(), b.size());
  }

  @Override
  public int getMemory(KeyValue key) {
    return 48 + 40 * key.size();
  }

  @Override
  public void write(WriteBuffer buffer, KeyValue key) {
    buffer.putVarInt(key.size());
    for (Object value : key) values.write(buffer, value);
  }

  @Override
  public KeyValue read(ByteBuffer buffer) {
    int size = DataUtils.readVarInt(buffer);
    List<Object> read = new ArrayList<>(size);
    for (int i = 0; i < size; i++) read.add(values.read(buffer));
    return new KeyValue(read);
  }

  @Override
  public KeyValue[] createStorage(int size) {
    return new KeyValue[size];
  }
}
