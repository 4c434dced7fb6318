package io.stockroom.tools;

import java.util.HashMap;
import java.util.Map;

/** A tool's command line: {@code --name value} pairs; a flag without a value ({@code --check}) reads "true". */
final class Flags {
  private Flags() {
  }

  static Map<String, String> parse(String[] args) {
    Map<String, String> flags = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String name = args[i].replaceFirst("^--", "");
      boolean hasValue = i + 1 < args.length && !args[i + 1].startsWith("--");
      flags.put(name, hasValue ? args[++i] : "true");
    }
    return flags;
  }
}
