package io.stockroom.bulk;

import io.stockroom.platform.mongo.Key;
import io.vertx.core.json.JsonObject;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A line of an export, as a record whose components are its columns in order: the CSV header is their names, a CSV
 * line their values ({@link Csv}), a JSON line the object of all of them in that order, nulls included.
 */
interface ExportRow {

  /** The columns of rows of {@code type}: its components' names, in order. */
  static List<String> columns(Class<? extends ExportRow> type) {
    return Shape.OF.get(type).columns();
  }

  /** The row's values, in column order. */
  default List<Object> cells() {
    List<Object> cells = new ArrayList<>();
    for (Method accessor : Shape.OF.get(getClass()).accessors()) {
      try {
        cells.add(accessor.invoke(this));
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException(e);
      }
    }
    return cells;
  }

  /** A row type's columns and their accessors, looked up once per type (an export writes millions of cells). */
  record Shape(List<String> columns, List<Method> accessors) {
    static final ClassValue<Shape> OF = new ClassValue<>() {
      @Override
      protected Shape computeValue(Class<?> type) {
        RecordComponent[] components = type.getRecordComponents();
        List<Method> accessors = new ArrayList<>();
        for (RecordComponent component : components) {
          Method accessor = component.getAccessor();
          accessor.setAccessible(true);
          accessors.add(accessor);
        }
        return new Shape(Arrays.stream(components).map(RecordComponent::getName).toList(), List.copyOf(accessors));
      }
    };
  }

  /** The row as a CSV line. */
  default String csv() {
    return Csv.line(cells());
  }

  /** The row as a JSON line: every column in order, a null one as null. */
  default String ndjson() {
    JsonObject json = new JsonObject();
    List<String> columns = columns(getClass().asSubclass(ExportRow.class));
    List<Object> cells = cells();
    for (int i = 0; i < columns.size(); i++) json.put(columns.get(i), cells.get(i));
    return json.encode();
  }

  /** A variant: the import's columns, so that an export can be edited and imported; one attr.&lt;name&gt; column per attribute. */
  record Variant(String product, String productId, String variantId, String sku, Long price, long reorderLevel, long stock,
                 long available, long incoming, JsonObject attributes) implements ExportRow {
    /** The CSV columns: the attributes as one column per name in {@code attributes}. */
    static List<String> columns(List<String> attributes) {
      List<String> columns = new ArrayList<>(ExportRow.columns(Variant.class));
      columns.remove(columns.size() - 1);
      attributes.forEach(a -> columns.add(ImportRows.ATTRIBUTE_COLUMN + a));
      return columns;
    }

    String csv(List<String> attributeNames) {
      List<Object> cells = cells();
      cells.remove(cells.size() - 1);
      attributeNames.forEach(a -> cells.add(attributes.getValue(a)));
      return Csv.line(cells);
    }
  }

  /** A variant's stock level at one location. */
  record StockLevel(String variantId, String sku, String locationId, long stock, long available, long reserved, long damaged,
                    long qualityControl, long safetyStock, long inTransit, long incoming) implements ExportRow {
  }

  /** A movement of the ledger; {@code createdAt} as the stored date's text. */
  record Movement(String id, String createdAt, String variantId, String sku, String type, String locationId, String from, String to,
                  Long units, Long quantity, Long stockAfter, Long sequence, String sourceKind, String sourceId, String actor,
                  String reason) implements ExportRow {
  }

  /** What exports read of a variant (the inventory package's document). */
  record StoredVariant(@Key("_id") String id, String productId, String sku, Long price, long reorderLevel, long stock, long incoming,
                       JsonObject attributes) {
    static final String ATTRIBUTES = "attributes";

    public StoredVariant {
      if (attributes == null) attributes = new JsonObject();
    }
  }

  /** What exports read of a movement (the inventory package's document). */
  record StoredMovement(@Key("_id") String id, StoredDate createdAt, String variantId, String sku, String type, String locationId,
                        String from, String to, Long units, Long quantity, Long stockAfter, Long sequence, Source source,
                        String actor, String reason) {
    /** The row; a movement from before locations is the default location's (whose id is the tenant's). */
    Movement row(String tenantId) {
      Source cause = source == null ? new Source(null, null) : source;
      return new Movement(id, createdAt == null ? null : createdAt.text(), variantId, sku, type, locationId == null ? tenantId : locationId,
        from, to, units != null ? units : Long.valueOf(Math.abs(quantity == null ? 0L : quantity)), quantity, stockAfter, sequence,
        cause.kind(), cause.id(), actor, reason);
    }
  }

  /** A stored BSON date as the database client hands it out. */
  record StoredDate(@Key("$date") String text) {
  }

  /** A movement's cause. */
  record Source(String kind, String id) {
  }

  /** A product's name. */
  record ProductName(@Key("_id") String id, String name) {
  }

  /** A stock level as the inventory package shows it. */
  record LevelView(long stock, long available, long reserved, Unavailable unavailable, long inTransit, long incoming) {
    StockLevel row(String variantId, String sku, String locationId) {
      return new StockLevel(variantId, sku, locationId, stock, available, reserved, unavailable.damaged(), unavailable.qualityControl(),
        unavailable.safetyStock(), inTransit, incoming);
    }
  }

  /** Units on hand that cannot be sold, by state. */
  record Unavailable(long damaged, long qualityControl, long safetyStock) {
  }
}
