package io.stockroom.bulk;

import java.util.List;
import java.util.stream.Collectors;

/** RFC 4180 fields: quoted when they hold a comma, quote, CR or LF (quotes doubled); a leading =, +, - or @ is defused. */
final class Csv {
  private Csv() {
  }

  static String line(List<?> values) {
    return values.stream().map(Csv::field).collect(Collectors.joining(","));
  }

  static String field(Object value) {
    if (value == null) return "";
    String text = String.valueOf(value);
    if (!(value instanceof Number) && !text.isEmpty() && "=+-@".indexOf(text.charAt(0)) >= 0) text = "'" + text;
    boolean quote = text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0;
    return quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
  }
}
