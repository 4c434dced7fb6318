package io.stockroom.catalog;

import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands {@code {matrix: {size: [S, M], color: [red, blue]}, skuPattern: "TS-{size}-{color}"}} into one attribute
 * set and SKU per combination (the cartesian product, in the order given). Every matrix attribute must appear in the
 * pattern and every placeholder must be an attribute, otherwise SKUs would collide or stay unfilled.
 */
public final class VariantMatrix {
  public static final int MAX_COMBINATIONS = 500;
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]+)}");

  public record Combination(String sku, JsonObject attributes) {
  }

  private VariantMatrix() {
  }

  public static List<Combination> expand(JsonObject matrix, String skuPattern) {
    Set<String> placeholders = new LinkedHashSet<>();
    Matcher m = PLACEHOLDER.matcher(skuPattern);
    while (m.find()) placeholders.add(m.group(1));
    if (!placeholders.equals(matrix.fieldNames())) {
      throw new ServiceError(ErrorCode.VALIDATION, "skuPattern must use each matrix attribute exactly as a {name} "
        + "placeholder; attributes " + matrix.fieldNames() + ", placeholders " + placeholders);
    }
    long total = 1;
    for (String name : matrix.fieldNames()) {
      JsonArray values = matrix.getJsonArray(name);
      if (new LinkedHashSet<>(values.getList()).size() != values.size()) {
        throw new ServiceError(ErrorCode.VALIDATION, "matrix." + name + " lists a value twice");
      }
      total *= values.size();
    }
    if (total > MAX_COMBINATIONS) {
      throw new ServiceError(ErrorCode.VALIDATION, "The matrix makes " + total + " variants; at most " + MAX_COMBINATIONS + " per request");
    }
    List<Combination> combinations = new ArrayList<>();
    combinations.add(new Combination(skuPattern, new JsonObject()));
    for (String name : matrix.fieldNames()) {
      List<Combination> next = new ArrayList<>();
      for (Combination partial : combinations) {
        for (Object value : matrix.getJsonArray(name)) {
          String text = String.valueOf(value);
          next.add(new Combination(partial.sku().replace("{" + name + "}", text), partial.attributes().copy().put(name, text)));
        }
      }
      combinations = next;
    }
    Set<String> skus = new LinkedHashSet<>();
    Set<String> collisions = new java.util.TreeSet<>();
    for (Combination c : combinations) {
      if (!skus.add(c.sku())) collisions.add(c.sku());
    }
    if (!collisions.isEmpty()) {
      throw new ServiceError(ErrorCode.VALIDATION, "The pattern makes the same SKU for different combinations: "
        + String.join(", ", collisions), new JsonObject().put("duplicateSkus", new JsonArray(new ArrayList<>(collisions))));
    }
    return combinations;
  }
}
