package io.stockroom.bulk;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.contract.ContractSchemas;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.RecordCodec;
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
  /** The import's fields: a JSON line's keys, the CSV header's columns (attributes as one {@code attr.<name>} column each). */
  static final String PRODUCT = "product";
  static final String SKU = "sku";
  static final String PRICE = "price";
  static final String REORDER_LEVEL = "reorderLevel";
  static final String STOCK = "stock";
  static final String LOCATION = "location";
  static final String ATTRIBUTES = "attributes";
  static final String ATTRIBUTE_COLUMN = "attr.";
  static final List<String> REQUIRED = List.of(PRODUCT, SKU, PRICE);
  /** The fields a JSON line may carry; anything else refuses the row. */
  private static final Set<String> LINE_FIELDS = Set.of(PRODUCT, SKU, PRICE, REORDER_LEVEL, STOCK, LOCATION, ATTRIBUTES);
  /** The fields a row shares with a variant's creation, checked by its schema. */
  private static final List<String> VARIANT_FIELDS = List.of(SKU, PRICE, REORDER_LEVEL, STOCK, ATTRIBUTES);
  /** The CSV columns whose cells are numbers. */
  private static final Set<String> NUMBERS = Set.of(PRICE, REORDER_LEVEL, STOCK);
  private static final String PRODUCT_SCHEMA = "/components/schemas/ProductCreate";
  private static final String VARIANT_SCHEMA = "/components/schemas/VariantCreate";
  private static final String ATTRIBUTES_SCHEMA = "/components/schemas/Attributes";
  private static final String LOCATION_CODE_SCHEMA = "/components/schemas/LocationCode";
  /** The contract's schemas a row is checked with. */
  static final List<String> SCHEMAS = List.of(PRODUCT_SCHEMA, VARIANT_SCHEMA, ATTRIBUTES_SCHEMA, LOCATION_CODE_SCHEMA);
  /** A CSV cell of a number column that is written as a JSON number is one (any other text stays text). */
  private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
  /** The variant schema's name for what a row calls its stock. */
  private static final String OPENING_STOCK = "openingStock";
  /** The product schema's name for what a row calls its product. */
  private static final String PRODUCT_NAME = "name";
  private static final Pattern REQUIRED_PROPERTY = Pattern.compile("required property \"(\\w+)\"");

  /** One parsed line: the row's values, or what is wrong with it. */
  record Row(int number, Values values, ImportError error) {
  }

  /** A row that passed the checks: a location code (null: the default location), and the product's name trimmed. */
  record Values(String product, String sku, long price, Long reorderLevel, Long stock, String location, JsonObject attributes) {
  }

  /** The variant fields of a row as the variant schema accepted them. */
  private record VariantFields(String sku, long price, Long reorderLevel, Long openingStock, JsonObject attributes) {
  }

  /** One of a schema's errors. */
  private record SchemaError(String pointer, String message) {
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
          rows.add(new Row(number, null, new ImportError(number, foreign, "is not an import field; the row is refused")));
          continue;
        }
        rows.add(check(number, json, false, schemas));
      } catch (DecodeException e) {
        rows.add(new Row(number, null, new ImportError(number, null, "not a JSON object")));
      }
    }
    return rows;
  }

  private static List<Row> csv(String text, ContractSchemas schemas) {
    List<List<String>> records = CsvReader.read(text);
    if (records.isEmpty()) throw new ServiceError(ErrorCode.VALIDATION, "The file is empty; the first line is the header");
    List<String> header = records.get(0).stream().map(String::trim).toList();
    for (String column : header) {
      boolean known = LINE_FIELDS.contains(column) && !column.equals(ATTRIBUTES) || column.startsWith(ATTRIBUTE_COLUMN)
        && schemas.errors(ATTRIBUTES_SCHEMA, Ops.where(attribute(column), "x")).isEmpty();
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
        rows.add(new Row(number, null, new ImportError(number, null, "has " + record.size() + " fields, the header " + header.size())));
        continue;
      }
      JsonObject attributes = new JsonObject();
      JsonObject values = Ops.where(ATTRIBUTES, attributes);
      for (int c = 0; c < header.size(); c++) {
        String column = header.get(c);
        String value = record.get(c).trim();
        if (column.startsWith(ATTRIBUTE_COLUMN)) {
          if (!value.isEmpty()) attributes.put(attribute(column), value);
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
    Object name = raw.getValue(PRODUCT);
    JsonObject product = name == null ? new JsonObject() : Ops.where(PRODUCT_NAME, name);
    JsonObject variant = new JsonObject();
    for (String field : VARIANT_FIELDS) {
      Object value = raw.getValue(field);
      if (value == null) continue;
      if (text && NUMBERS.contains(field)) value = number((String) value);
      variant.put(field.equals(STOCK) ? OPENING_STOCK : field, value);
    }
    Object location = raw.getValue(LOCATION);
    ImportError error = first(number, schemas.errors(PRODUCT_SCHEMA, product));
    if (error == null) error = first(number, schemas.errors(VARIANT_SCHEMA, variant));
    if (error == null && location != null) {
      error = first(number, schemas.errors(LOCATION_CODE_SCHEMA, location));
      if (error != null) error = error.against(LOCATION);
    }
    if (error != null) return new Row(number, null, error);
    VariantFields checked = RecordCodec.fromDocument(VariantFields.class, variant);
    return new Row(number, new Values(((String) name).trim(), checked.sku(), checked.price(), checked.reorderLevel(),
      checked.openingStock(), (String) location, checked.attributes() == null ? new JsonObject() : checked.attributes()), null);
  }

  /** The first of a schema's errors as a row error, naming the import's field (a missing one by the property required). */
  private static ImportError first(int number, JsonArray errors) {
    if (errors.isEmpty()) return null;
    SchemaError error = RecordCodec.fromDocument(SchemaError.class, errors.getJsonObject(0));
    String pointer = error.pointer().replaceFirst("^#/?", "");
    Matcher required = REQUIRED_PROPERTY.matcher(error.message());
    String property = pointer.isEmpty() && required.find() ? required.group(1) : pointer;
    String field = property.isEmpty() ? null : property.replace('/', '.').replaceFirst("^" + PRODUCT_NAME + "\\b", PRODUCT)
      .replaceFirst("^" + OPENING_STOCK + "\\b", STOCK);
    return new ImportError(number, field, error.message());
  }

  /** The cell as the API's JSON parser reads the same digits (the schema then judges it as it judges a body). */
  private static Object number(String cell) {
    return JSON_NUMBER.matcher(cell).matches() ? Json.decodeValue(cell) : cell;
  }

  /** The attribute an {@code attr.<name>} column holds. */
  private static String attribute(String column) {
    return column.substring(ATTRIBUTE_COLUMN.length());
  }
}
