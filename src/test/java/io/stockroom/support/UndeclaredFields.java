package io.stockroom.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The fields of an answer that its response schema does not name. The contract's response schemas leave
 * {@code additionalProperties} open (so clients tolerate additions), which lets a stored document's internal fields
 * reach clients unnoticed by schema validation; this walk finds them. An object schema without {@code properties},
 * or with {@code additionalProperties}, is open and not walked.
 */
public final class UndeclaredFields {
  private final ContractDocument contract;

  public UndeclaredFields(ContractDocument contract) {
    this.contract = contract;
  }

  /** The paths ({@code $.items[0].sales30}) of fields in {@code value} that {@code schema} does not declare. */
  public List<String> in(Object value, JsonObject schema) {
    List<String> found = new ArrayList<>();
    walk(value, schema, "$", found);
    return found;
  }

  private void walk(Object value, JsonObject raw, String at, List<String> found) {
    JsonObject schema = contract.resolve(raw);
    for (String choice : List.of("oneOf", "anyOf")) {
      if (schema.containsKey(choice)) {
        // the branch that declares the most of it decides
        List<String> best = null;
        for (Object branch : schema.getJsonArray(choice)) {
          if (!fits(value, contract.resolve((JsonObject) branch))) continue;
          List<String> inBranch = new ArrayList<>();
          walk(value, (JsonObject) branch, at, inBranch);
          if (best == null || inBranch.size() < best.size()) best = inBranch;
        }
        if (best != null) found.addAll(best);
        return;
      }
    }
    if (value instanceof JsonArray array) {
      JsonObject items = schema.getJsonObject("items");
      if (items != null) for (int i = 0; i < array.size(); i++) walk(array.getValue(i), items, at + "[" + i + "]", found);
      return;
    }
    if (!(value instanceof JsonObject object)) return;
    List<JsonObject> parts = new ArrayList<>();
    collect(schema, parts);
    Set<String> declared = new HashSet<>();
    for (JsonObject part : parts) {
      if (part.containsKey("additionalProperties") || part.containsKey("patternProperties") || !part.containsKey("properties")) {
        if (!part.containsKey("allOf")) return;
      }
      if (part.containsKey("properties")) declared.addAll(part.getJsonObject("properties").fieldNames());
    }
    for (String field : object.fieldNames()) {
      if (!declared.contains(field)) {
        found.add(at + "." + field);
        continue;
      }
      for (JsonObject part : parts) {
        JsonObject properties = part.getJsonObject("properties");
        if (properties != null && properties.containsKey(field)) walk(object.getValue(field), properties.getJsonObject(field), at + "." + field, found);
      }
    }
  }

  /** The schema and, for an {@code allOf}, each of its parts, resolved. */
  private void collect(JsonObject schema, List<JsonObject> into) {
    into.add(schema);
    JsonArray all = schema.getJsonArray("allOf");
    if (all != null) for (Object part : all) collect(contract.resolve((JsonObject) part), into);
  }

  private static boolean fits(Object value, JsonObject schema) {
    Object type = schema.getValue("type");
    if (type == null) return true;
    List<?> types = type instanceof JsonArray array ? array.getList() : List.of(type);
    for (Object t : types) {
      boolean fits = switch (String.valueOf(t)) {
        case "object" -> value instanceof JsonObject;
        case "array" -> value instanceof JsonArray;
        case "string" -> value instanceof String;
        case "integer", "number" -> value instanceof Number;
        case "boolean" -> value instanceof Boolean;
        case "null" -> value == null;
        default -> true;
      };
      if (fits) return true;
    }
    return false;
  }
}
