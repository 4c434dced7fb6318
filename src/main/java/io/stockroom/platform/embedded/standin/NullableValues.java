package io.stockroom.platform.embedded.standin;

import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;

import java.nio.ByteBuffer;

/** Index values in the MVStore: H2's object serialization, with null (a missing field) as a tag of its own. */
final class NullableValues {
  private static final byte NULL = 0;
  private static final byte VALUE = 1;

  private final ObjectDataType objects = new ObjectDataType();

  void write(WriteBuffer buffer, Object value) {
    if (value == null) {
      buffer.put(NULL);
    } else {
      buffer.put(VALUE);
      objects.write(buffer, value);
    }
  }

  Object read(ByteBuffer buffer) {
    return buffer.get() == NULL ? null : objects.read(buffer);
  }
}
