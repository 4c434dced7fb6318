package io.stockroom.bulk;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Parses an import file into rows {product, sku, price, reorderLevel?, stock?, location?, attributes} and checks each:
 * CSV with the header {@code product,sku,price[,reorderLevel][,stock][,location]} (any order) plus one
 * {@code attr.<name>} column per attribute, or JSON lines {@code {product, sku, price, reorderLevel, stock, location,
 * attributes}}; {@code location} is a location code (the stock counts there; default: the default location). A bad header refuses the
 * file (400); a bad row becomes {row, field, message} (rows counted from 1, header excluded) and the others go on.
 */
final class ImportRows {
  static final List<String> REQUIRED = List.of("product", "sku", "price");
  private static final Pattern SKU = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$");
  private static final Pattern ATTRIBUTE = Pattern.compile("^[A-Za-z][A-Za-z0-9_]{0,31}$");
  /** The contract's bound on an attribute value ({@code components.schemas.Attributes} in openapi.yaml). */
  private static final int MAX_ATTRIBUTE_VALUE = 64;
  /** The fields a JSON line may carry; anything else refuses the row. */
  private static final java.util.Set<String> LINE_FIELDS = java.util.Set.of("product", "sku", "price", "reorderLevel", "stock",
    "location", "attributes");
  static final long MAX_PRICE = 1_000_000_000_000L;
  static final long MAX_STOCK = 1_000_000_000L;

  /** One parsed line: the row, or what is wrong with it. */
  record Row(int number, JsonObject values, JsonObject error) {
  }

  private ImportRows() {
  }

  static List<Row> parse(String contentType, String text, int maxRows) {
    List<Row> rows = contentType.startsWith("application/x-ndjson") ? ndjson(text) : csv(text);
    if (rows.size() > maxRows) {
      throw new ServiceError(ErrorCode.PAYLOAD_TOO_LARGE, "An import may have at most " + maxRows + " rows; this one has " + rows.size());
    }
    if (rows.isEmpty()) throw new ServiceError(ErrorCode.VALIDATION, "The file has no rows");
    return rows;
  }

  private static List<Row> ndjson(String text) {
    List<Row> rows = new ArrayList<>();
    int number = 0;
    for (String line : text.split("\r?\n")) {
      if (line.isBlank()) continue;
      number++;
      try {
        JsonObject json = new JsonObject(line);
        String foreign = json.fieldNames().stream().filter(field -> !LINE_FIELDS.contains(field)).sorted().findFirst().orElse(null);
        if (foreign != null) {
          // tenantId, id, stock history...: what the server owns is never taken from a file, nor silently dropped
          rows.add(new Row(number, null, error(number, foreign, "is not an import field; the row is refused")));
          continue;
        }
        JsonObject values = new JsonObject().put("product", json.getValue("product")).put("sku", json.getValue("sku"))
          .put("price", json.getValue("price")).put("reorderLevel", json.getValue("reorderLevel")).put("stock", json.getValue("stock"))
          .put("location", json.getValue("location"))
          .put("attributes", json.getValue("attributes"));
        rows.add(check(number, values));
      } catch (DecodeException e) {
        rows.add(new Row(number, null, error(number, null, "not a JSON object")));
      }
    }
    return rows;
  }

  private static List<Row> csv(String text) {
    List<List<String>> records = CsvReader.read(text);
    if (records.isEmpty()) throw new ServiceError(ErrorCode.VALIDATION, "The file is empty; the first line is the header");
    List<String> header = records.get(0).stream().map(String::trim).toList();
    for (String column : header) {
      boolean known = List.of("product", "sku", "price", "reorderLevel", "stock", "location").contains(column)
        || column.startsWith("attr.") && ATTRIBUTE.matcher(column.substring(5)).matches();
      if (!known) throw new ServiceError(ErrorCode.VALIDATION, "Unknown column '" + column + "' in the header; expected "
        + "product,sku,price,reorderLevel,stock and attr.<name> columns");
    }
    for (String column : REQUIRED) {
      if (!header.contains(column)) throw new ServiceError(ErrorCode.VALIDATION, "The header lacks the column '" + column + "'");
    }
    if (header.stream().distinct().count() != header.size()) throw new ServiceError(ErrorCode.VALIDATION, "A column appears twice in the header");
    List<Row> rows = new ArrayList<>();
    for (int i = 1; i < records.size(); i++) {
      List<String> record = records.get(i);
      if (record.size() == 1 && record.get(0).isBlank()) continue;
      int number = rows.size() + 1;
      if (record.size() != header.size()) {
        rows.add(new Row(number, null, error(number, null, "has " + record.size() + " fields, the header " + header.size())));
        continue;
      }
      JsonObject values = new JsonObject().put("attributes", new JsonObject());
      for (int c = 0; c < header.size(); c++) {
        String column = header.get(c);
        String value = record.get(c).trim();
        if (column.startsWith("attr.")) {
          if (!value.isEmpty()) values.getJsonObject("attributes").put(column.substring(5), value);
        } else {
          values.put(column, value.isEmpty() ? null : value);
        }
      }
      rows.add(check(number, values));
    }
    return rows;
  }

  /** Types and bounds of one row's values (numbers may come as CSV text). */
  private static Row check(int number, JsonObject raw) {
    JsonObject row = new JsonObject();
    Object product = raw.getValue("product");
    if (!(product instanceof String name) || name.isBlank() || name.length() > 200) {
      return new Row(number, null, error(number, "product", "must be a name of 1 to 200 characters"));
    }
    row.put("product", name.trim());
    Object sku = raw.getValue("sku");
    if (!(sku instanceof String s) || !SKU.matcher(s).matches()) {
      return new Row(number, null, error(number, "sku", "must be 1 to 64 letters, digits and . _ / - (starting with a letter or digit)"));
    }
    row.put("sku", s);
    for (String field : List.of("price", "reorderLevel", "stock")) {
      Object value = raw.getValue(field);
      if (value == null) {
        if (field.equals("price")) return new Row(number, null, error(number, field, "is required"));
        continue;
      }
      Long parsed = whole(value);
      long max = field.equals("price") ? MAX_PRICE : MAX_STOCK;
      if (parsed == null || parsed < 0 || parsed > max) {
        return new Row(number, null, error(number, field, "must be a whole number from 0 to " + max));
      }
      row.put(field, parsed);
    }
    Object location = raw.getValue("location");
    if (location != null) {
      if (!(location instanceof String code) || code.isBlank() || code.length() > 32) {
        return new Row(number, null, error(number, "location", "must be a location code"));
      }
      row.put("location", code.trim());
    }
    Object attributes = raw.getValue("attributes");
    if (attributes != null && !(attributes instanceof JsonObject)) return new Row(number, null, error(number, "attributes", "must be an object"));
    JsonObject attrs = attributes == null ? new JsonObject() : (JsonObject) attributes;
    if (attrs.size() > 10) return new Row(number, null, error(number, "attributes", "at most 10 attributes"));
    for (String key : attrs.fieldNames()) {
      Object value = attrs.getValue(key);
      if (!ATTRIBUTE.matcher(key).matches() || !(value instanceof String v) || v.isEmpty() || v.length() > MAX_ATTRIBUTE_VALUE) {
        return new Row(number, null, error(number, "attributes." + key, "names are letters, digits and _ (starting with a letter), "
          + "values text of 1 to " + MAX_ATTRIBUTE_VALUE + " characters"));
      }
    }
    row.put("attributes", attrs);
    return new Row(number, row, null);
  }

  private static Long whole(Object value) {
    if (value instanceof Number n) {
      return n.doubleValue() == n.longValue() ? n.longValue() : null;
    }
    try {
      return Long.parseLong(String.valueOf(value));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static JsonObject error(int row, String field, String message) {
    return new JsonObject().put("row", row).put("field", field).put("message", message);
  }
}
