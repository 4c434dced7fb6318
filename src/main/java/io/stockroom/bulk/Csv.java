package io.stockroom.bulk;

import java.util.List;
import java.util.stream.Collectors;

/**
 * RFC 4180 fields: quoted when they hold a comma, quote, CR or LF (quotes doubled). A text field starting with a
 * character a spreadsheet may read as the start of a formula ({@link #FORMULA_STARTS}: OWASP's =, +, -, @, Tab and CR,
 * and LF) is prefixed with {@code '}, so it is shown as text. Numbers are written as numbers, a negative one included:
 * only text is neutralised, so the text "-5" becomes {@code '-5} while the number -5 stays {@code -5}.
 */
final class Csv {
  static final String FORMULA_STARTS = "=+-@\t\r\n";

  private Csv() {
  }

  static String line(List<?> values) {
    return values.stream().map(Csv::field).collect(Collectors.joining(","));
  }

  static String field(Object value) {
    if (value == null) return "";
    String text = String.valueOf(value);
    if (!(value instanceof Number) && !text.isEmpty() && FORMULA_STARTS.indexOf(text.charAt(0)) >= 0) text = "'" + text;
    boolean quote = text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0;
    return quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
  }
}
