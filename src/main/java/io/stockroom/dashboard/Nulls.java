package io.stockroom.dashboard;

import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.List;

/**
 * {@link RecordCodec} leaves a null component out; a component marked {@link Shown} is written as JSON null instead,
 * for the fields a document or answer has always carried as null.
 */
final class Nulls {
  /** A component written as null when it has no value (also inside nested records and lists of them). */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.RECORD_COMPONENT)
  @interface Shown {
  }

  private Nulls() {
  }

  /** {@link RecordCodec#toApi}, with the {@link Shown} nulls. */
  static JsonObject toApi(Record record) {
    JsonObject api = RecordCodec.toApi(record);
    show(record, api);
    return api;
  }

  /** {@link RecordCodec#toDocument}, with the {@link Shown} nulls. */
  static JsonObject toDocument(Record record) {
    JsonObject doc = RecordCodec.toDocument(record);
    show(record, doc);
    return doc;
  }

  private static void show(Object value, Object encoded) {
    if (value instanceof Record record && encoded instanceof JsonObject json) {
      for (RecordComponent component : record.getClass().getRecordComponents()) {
        Key key = component.getAnnotation(Key.class);
        String name = key == null ? component.getName() : key.value();
        Object item = valueOf(component, record);
        if (item != null) show(item, json.getValue(name));
        else if (component.isAnnotationPresent(Shown.class)) json.putNull(name);
      }
    } else if (value instanceof List<?> list && encoded instanceof JsonArray array) {
      for (int i = 0; i < list.size(); i++) show(list.get(i), array.getValue(i));
    }
  }

  private static Object valueOf(RecordComponent component, Record record) {
    try {
      var accessor = component.getAccessor();
      accessor.setAccessible(true);
      return accessor.invoke(record);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException(e);
    }
  }
}
