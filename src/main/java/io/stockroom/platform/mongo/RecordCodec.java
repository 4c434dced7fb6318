package io.stockroom.platform.mongo;

import io.stockroom.platform.money.Amounts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps a record to a JSON object and back by its components: the key is the component's name, or its {@link Key}.
 * Two forms: {@link #stored} is the document a repository writes (dates as BSON dates, amounts as Decimal128) and
 * {@link #api} what a client reads (dates as RFC 3339 text, amounts as strings of digits), so an API view is a record
 * whose components are exactly what clients see.
 *
 * <p>Supported components: String, the primitive numbers and booleans and their boxes, {@link BigInteger} amounts,
 * {@link Instant}, enums (by name), JsonObject and JsonArray as they are, records, and Lists and String-keyed Maps of
 * any of these. A null component is left out (written as null if it is {@link ExplicitNull}); a missing key decodes as
 * null, or zero and false for primitives.
 */
public final class RecordCodec<R extends Record> {
  private enum Form { STORED, API }

  private static final Map<Class<?>, RecordCodec<?>> STORED = new ConcurrentHashMap<>();
  private static final Map<Class<?>, RecordCodec<?>> API = new ConcurrentHashMap<>();

  private final Form form;
  private final RecordComponent[] components;
  private final String[] keys;
  private final boolean[] explicitNull;
  private final Constructor<R> constructor;

  private RecordCodec(Class<R> type, Form form) {
    this.form = form;
    this.components = type.getRecordComponents();
    if (components == null) throw new IllegalArgumentException(type + " is not a record");
    this.keys = new String[components.length];
    this.explicitNull = new boolean[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      Key key = components[i].getAnnotation(Key.class);
      keys[i] = key == null ? components[i].getName() : key.value();
      explicitNull[i] = components[i].isAnnotationPresent(ExplicitNull.class);
      types[i] = components[i].getType();
      components[i].getAccessor().setAccessible(true);
    }
    try {
      this.constructor = type.getDeclaredConstructor(types);
      constructor.setAccessible(true);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(type + " has no canonical constructor", e);
    }
  }

  /** The codec of a record's stored document. */
  @SuppressWarnings("unchecked")
  public static <R extends Record> RecordCodec<R> stored(Class<R> type) {
    return (RecordCodec<R>) STORED.computeIfAbsent(type, t -> new RecordCodec<>(type, Form.STORED));
  }

  /** The codec of a record as clients read it. */
  @SuppressWarnings("unchecked")
  public static <R extends Record> RecordCodec<R> api(Class<R> type) {
    return (RecordCodec<R>) API.computeIfAbsent(type, t -> new RecordCodec<>(type, Form.API));
  }

  /** A record as clients read it: {@code RecordCodec.api(type).encode(record)}. */
  @SuppressWarnings("unchecked")
  public static <R extends Record> JsonObject toApi(R record) {
    return api((Class<R>) record.getClass()).encode(record);
  }

  /** A record as stored: {@code RecordCodec.stored(type).encode(record)}. */
  @SuppressWarnings("unchecked")
  public static <R extends Record> JsonObject toDocument(R record) {
    return stored((Class<R>) record.getClass()).encode(record);
  }

  /** A stored document as its record: {@code RecordCodec.stored(type).decode(document)}. */
  public static <R extends Record> R fromDocument(Class<R> type, JsonObject document) {
    return stored(type).decode(document);
  }

  public JsonObject encode(R record) {
    JsonObject json = new JsonObject();
    for (int i = 0; i < components.length; i++) {
      Object value;
      try {
        value = components[i].getAccessor().invoke(record);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException(e);
      }
      if (value != null) json.put(keys[i], write(value));
      else if (explicitNull[i]) json.putNull(keys[i]);
    }
    return json;
  }

  public R decode(JsonObject json) {
    Object[] args = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      args[i] = read(json.getValue(keys[i]), components[i].getGenericType());
    }
    try {
      return constructor.newInstance(args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException runtime) throw runtime;
      throw new IllegalStateException(e.getCause());
    } catch (InstantiationException | IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private Object write(Object value) {
    if (value instanceof Instant instant) return form == Form.STORED ? Mongo.date(instant) : Mongo.apiInstant(instant);
    if (value instanceof BigInteger amount) return form == Form.STORED ? Amounts.stored(amount) : Amounts.api(amount);
    if (value instanceof Enum<?> constant) return constant.name();
    if (value instanceof Record record) return codecOf((Class<Record>) record.getClass()).encode(record);
    if (value instanceof List<?> list) {
      JsonArray array = new JsonArray();
      for (Object item : list) array.add(item == null ? null : write(item));
      return array;
    }
    if (value instanceof Map<?, ?> map) {
      JsonObject object = new JsonObject();
      map.forEach((key, item) -> object.put((String) key, item == null ? null : write(item)));
      return object;
    }
    return value;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Object read(Object value, Type type) {
    Class<?> raw = type instanceof ParameterizedType parameterized ? (Class<?>) parameterized.getRawType() : (Class<?>) type;
    if (value == null) return raw.isPrimitive() ? zeroOf(raw) : null;
    if (raw == String.class) return value.toString();
    if (raw == long.class || raw == Long.class) return ((Number) value).longValue();
    if (raw == int.class || raw == Integer.class) return ((Number) value).intValue();
    if (raw == double.class || raw == Double.class) return ((Number) value).doubleValue();
    if (raw == boolean.class || raw == Boolean.class) return value;
    if (raw == Instant.class) return value instanceof String text && form == Form.API ? Instant.parse(text) : Mongo.instant(value);
    if (raw == BigInteger.class) return Amounts.of(value);
    if (raw.isEnum()) return Enum.valueOf((Class<Enum>) raw, value.toString());
    if (raw.isRecord()) return codecOf((Class<Record>) raw).decode((JsonObject) value);
    if (raw == List.class) {
      Type item = ((ParameterizedType) type).getActualTypeArguments()[0];
      List<Object> list = new ArrayList<>();
      for (Object element : (JsonArray) value) list.add(read(element, item));
      return java.util.Collections.unmodifiableList(list);
    }
    if (raw == Map.class) {
      Type item = ((ParameterizedType) type).getActualTypeArguments()[1];
      Map<String, Object> map = new LinkedHashMap<>();
      ((JsonObject) value).forEach(entry -> map.put(entry.getKey(), read(entry.getValue(), item)));
      return java.util.Collections.unmodifiableMap(map);
    }
    if (raw == JsonObject.class || raw == JsonArray.class || raw == Object.class) return value;
    throw new IllegalArgumentException("No mapping for " + type);
  }

  private <T extends Record> RecordCodec<T> codecOf(Class<T> type) {
    return form == Form.STORED ? stored(type) : api(type);
  }

  private static Object zeroOf(Class<?> primitive) {
    if (primitive == boolean.class) return false;
    if (primitive == int.class) return 0;
    if (primitive == double.class) return 0.0;
    return 0L;
  }
}
