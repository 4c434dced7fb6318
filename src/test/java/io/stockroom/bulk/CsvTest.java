package io.stockroom.bulk;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CsvTest {

  @Test
  @DisplayName("a text field starting with =, +, -, @, Tab, CR or LF is prefixed with ' and quoted when it holds CR, LF, a comma or a quote")
  void everyFormulaStartIsNeutralised() {
    Map<String, String> expected = Map.of(
      "=1+1", "'=1+1",
      "+1+1", "'+1+1",
      "-1+1", "'-1+1",
      "@SUM(A1)", "'@SUM(A1)",
      "\t=1+1", "'\t=1+1",
      "\r=1+1", "\"'\r=1+1\"",
      "\n=1+1", "\"'\n=1+1\"",
      "=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
    expected.forEach((text, field) -> assertEquals(field, Csv.field(text), () -> "field of " + text.replace("\t", "\\t")
      .replace("\r", "\\r").replace("\n", "\\n")));
    for (char start : new char[] {'=', '+', '-', '@', '\t', '\r', '\n'}) {
      String field = Csv.field(start + "cmd|' /C calc'!A0");
      assertEquals(start == '\r' || start == '\n' ? "\"'" + start : "'" + start, field.substring(0, field.indexOf(start) + 1),
        () -> "field starting with char " + (int) start);
    }
  }

  @Test
  @DisplayName("numbers stay numbers (a negative one too); text that merely looks like a negative number is neutralised")
  void numbersAreNotNeutralised() {
    assertEquals("-5", Csv.field(-5L));
    assertEquals("-5", Csv.field(-5));
    assertEquals("-2.5", Csv.field(-2.5));
    assertEquals("'-5", Csv.field("-5"));
  }

  @Test
  @DisplayName("other text is written as it is, quoted as RFC 4180 wants; null is an empty field")
  void otherFields() {
    assertEquals("Blue shirt", Csv.field("Blue shirt"));
    assertEquals(" =1+1", Csv.field(" =1+1"));
    assertEquals("a'b", Csv.field("a'b"));
    assertEquals("\"red, dark\"", Csv.field("red, dark"));
    assertEquals("\"line\r\nbreak\"", Csv.field("line\r\nbreak"));
    assertEquals("", Csv.field(null));
    assertEquals("", Csv.field(""));
    assertEquals("true", Csv.field(true));
    assertEquals("sku,'=1,-3,", Csv.line(Arrays.asList("sku", "=1", -3L, null)));
    assertEquals("'@x,\"'\t,\"", Csv.line(List.of("@x", "\t,")));
  }
}
