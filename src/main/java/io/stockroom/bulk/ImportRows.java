package io.stockroom.bulk;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.contract.ContractSchemas;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses an import file into rows {product, sku, price, reorderLevel?, stock?, location?, attributes} and checks each
 * with the contract's schemas:
 * CSV with the header {@code product,sku,price[,reorderLevel][,stock][,location]} (any order) plus one
 * {@code attr.<name>} column per attribute, or JSON lines {@code {product, sku, price, reorderLevel, stock, location,
 * attributes}}; {@code location} is a location code (the stock counts there; default: the default location). A bad header refuses the
 * file (400); a bad row becomes {row, field, message} (rows counted from 1, header excluded) and the others go on.
 */
final class ImportRows {
  static final List<String> REQUIRED = List.of("product", "sku", "price");
  /** The fields a JSON line may carry; anything else refuses the row. */
  private static final Set<String> LINE_FIELDS = Set.of("product", "sku", "price", "reorderLevel", "stock", "location", "attributes");
  /** The CSV columns whose cells are numbers. */
  private static final Set<String> NUMBERS = Set.of("price", "reorderLevel", "stock");
  private static final String PRODUCT = "/components/schemas/ProductCreate";
  private static final String VARIANT = "/components/schemas/VariantCreate";
  private static final String ATTRIBUTES = "/components/schemas/Attributes";
  private static final String LOCATION_CODE = "/components/schemas/LocationCode";
  /** The contract's schemas a row is checked with. */
  static final List<String> SCHEMAS = List.of(PRODUCT, VARIANT, ATTRIBUTES, LOCATION_CODE);
  /** A CSV cell of a number column that is written as a JSON number is one (any other text stays text). */
  private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
  /** The variant schema's name for what a row calls its stock. */
  private static final String OPENING_STOCK = "openingStock";
  private static final Pattern REQUIRED_PROPERTY = Pattern.compile("required property \"(\\w+)\"");

  /** One parsed line: the row, or what is wrong with it. */
  record Row(int number, JsonObject values, JsonObject error) {
  }

  private ImportRows() {
  }

  static List<Row> parse(String contentType, String text, int maxRows, ContractSchemas schemas) {
    List<Row> rows = contentType.startsWith("application/x-ndjson") ? ndjson(text, schemas) : csv(text, schemas);
    if (rows.size() > maxRows) {
      throw new ServiceError(ErrorCode.PAYLOAD_TOO_LARGE, "An import may have at most " + maxRows + " rows; this one has " + rows.size());
    }
    if (rows.isEmpty()) throw new ServiceError(ErrorCode.VALIDATION, "The file has no rows");
    return rows;
  }

  private static List<Row> ndjson(String text, ContractSchemas schemas) {
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
        rows.add(check(number, json, false, schemas));
      } catch (DecodeException e) {
        rows.add(new Row(number, null, error(number, null, "not a JSON object")));
      }
    }
    return rows;
  }

  private static List<Row> csv(String text, ContractSchemas schemas) {
    List<List<String>> records = CsvReader.read(text);
    if (records.isEmpty()) throw new ServiceError(ErrorCode.VALIDATION, "The file is empty; the first line is the header");
    List<String> header = records.get(0).stream().map(String::trim).toList();
    for (String column : header) {
      boolean known = LINE_FIELDS.contains(column) && !column.equals("attributes") || column.startsWith("attr.")
        && schemas.errors(ATTRIBUTES, new JsonObject().put(column.substring(5), "x")).isEmpty();
      if (!known) throw new ServiceError(ErrorCode.VALIDATION, "Unknown column '" + column + "' in the header; expected "
        + "product,sku,price,reorderLevel,stock,location and attr.<name> columns");
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
      rows.add(check(number, values, true, schemas));
    }
    return rows;
  }

  /**
   * One row checked by the schemas an API request of the same content is checked by: its product's name as a product
   * is created, its variant as {@code POST /products/{id}/variants} takes it (the row's stock as the opening stock),
   * its location code as a location is created. A CSV cell is text: a number column must hold a whole number first.
   */
  private static Row check(int number, JsonObject raw, boolean text, ContractSchemas schemas) {
    JsonObject product = new JsonObject();
    if (raw.getValue("product") != null) product.put("name", raw.getValue("product"));
    JsonObject variant = new JsonObject();
    for (String field : List.of("sku", "price", "reorderLevel", "stock", "attributes")) {
      Object value = raw.getValue(field);
      if (value == null) continue;
      if (text && NUMBERS.contains(field)) value = number((String) value);
      variant.put(field.equals("stock") ? OPENING_STOCK : field, value);
    }
    JsonObject error = first(number, schemas.errors(PRODUCT, product));
    if (error == null) error = first(number, schemas.errors(VARIANT, variant));
    if (error == null && raw.getValue("location") != null) {
      error = first(number, schemas.errors(LOCATION_CODE, raw.getValue("location")));
      if (error != null) error.put("field", "location");
    }
    if (error != null) return new Row(number, null, error);
    JsonObject row = new JsonObject().put("product", product.getString("name").trim()).put("sku", variant.getString("sku"))
      .put("price", variant.getLong("price")).put("attributes", variant.getJsonObject("attributes", new JsonObject()));
    if (variant.containsKey("reorderLevel")) row.put("reorderLevel", variant.getLong("reorderLevel"));
    if (variant.containsKey(OPENING_STOCK)) row.put("stock", variant.getLong(OPENING_STOCK));
    if (raw.getValue("location") != null) row.put("location", raw.getString("location"));
    return new Row(number, row, null);
  }

  /** The first of a schema's errors as a row error, naming the import's field (a missing one by the property required). */
  private static JsonObject first(int number, JsonArray errors) {
    if (errors.isEmpty()) return null;
    JsonObject error = errors.getJsonObject(0);
    String pointer = error.getString("pointer").replaceFirst("^#/?", "");
    Matcher required = REQUIRED_PROPERTY.matcher(error.getString("message"));
    String property = pointer.isEmpty() && required.find() ? required.group(1) : pointer;
    String field = property.isEmpty() ? null : property.replace('/', '.').replaceFirst("^name\\b", "product")
      .replaceFirst("^" + OPENING_STOCK + "\\b", "stock");
    return error(number, field, error.getString("message"));
  }

  /** The cell as the API's JSON parser reads the same digits (the schema then judges it as it judges a body). */
  private static Object number(String cell) {
    return JSON_NUMBER.matcher(cell).matches() ? Json.decodeValue(cell) : cell;
  }

  static JsonObject error(int row, String field, String message) {
    return new JsonObject().put("row", row).put("field", field).put("message", message);
  }
}
