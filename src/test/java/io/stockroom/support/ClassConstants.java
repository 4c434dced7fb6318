package io.stockroom.support;

import com.tngtech.archunit.core.domain.JavaClass;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The string constants of a compiled class, read from its constant pool: the literals it spells and the compile-time
 * constants of other classes it uses (javac copies those in), which the bytecode's references alone do not show.
 */
public final class ClassConstants {
  private ClassConstants() {
  }

  public static Set<String> strings(JavaClass type) {
    String resource = "/" + type.getName().replace('.', '/') + ".class";
    try (InputStream stream = ClassConstants.class.getResourceAsStream(resource)) {
      if (stream == null) throw new IllegalStateException("no class file for " + type.getName());
      return strings(new DataInputStream(stream));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Set<String> strings(DataInputStream in) throws IOException {
    if (in.readInt() != 0xCAFEBABE) throw new IOException("not a class file");
    in.readUnsignedShort();
    in.readUnsignedShort();
    int count = in.readUnsignedShort();
    String[] utf8 = new String[count];
    List<Integer> stringRefs = new ArrayList<>();
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> utf8[i] = in.readUTF();
        case 8 -> stringRefs.add(in.readUnsignedShort());
        case 7, 16, 19, 20 -> in.skipBytes(2);
        case 15 -> in.skipBytes(3);
        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
        case 5, 6 -> {
          in.skipBytes(8);
          i++;
        }
        default -> throw new IOException("unknown constant pool tag " + tag);
      }
    }
    Set<String> strings = new LinkedHashSet<>();
    for (int ref : stringRefs) strings.add(utf8[ref]);
    return strings;
  }
}
