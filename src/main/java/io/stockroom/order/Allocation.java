package io.stockroom.order;

import io.stockroom.inventory.StockLevels;
import io.stockroom.location.AllocationRules;
import io.stockroom.location.Locations;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides, on variants read under their locks, which locations an order's lines take their units from: a line naming
 * a location takes from there; any other line follows the tenant's {@link AllocationRules.Rule} over the active
 * locations, split across them when one does not hold enough. Units already promised to earlier lines of the same
 * order are not promised twice.
 */
final class Allocation {
  /** A line that cannot be taken, with what it could have (the 409's {@code shortages}; a location only if the line named one). */
  private record Shortage(String variantId, String sku, long requested, long available, String locationId) {
  }

  /** Units of one variant taken from one location. */
  record Part(String variantId, String locationId, long quantity) {
  }

  private final AllocationRules.Rule rule;
  private final String defaultLocation;
  private final Set<String> active;
  private final Map<String, Long> taken = new HashMap<>();

  Allocation(AllocationRules.Rule rule, String defaultLocation, Set<String> active) {
    this.rule = rule;
    this.defaultLocation = defaultLocation;
    this.active = active;
  }

  /** A fresh allocation for the next order over the same variants (a batch), with nothing taken yet. */
  Allocation next() {
    return new Allocation(rule, defaultLocation, active);
  }

  /** Units of {@code variant} still free at {@code locationId} for this order. */
  long free(JsonObject variant, String locationId) {
    return StockLevels.available(StockLevels.at(variant, locationId)) - taken.getOrDefault(key(variant, locationId), 0L);
  }

  /** What the rule could give a line of this variant naming no location. */
  long allocatable(JsonObject variant) {
    return candidates(variant).values().stream().mapToLong(Long::longValue).sum();
  }

  /** @return the parts taking {@code quantity} units, or null (nothing taken) when there are not enough */
  List<Part> take(JsonObject variant, long quantity, String locationId) {
    Map<String, Long> from = locationId != null ? Map.of(locationId, Math.max(0, free(variant, locationId))) : candidates(variant);
    List<String> order = locationId != null ? List.of(locationId) : rule.order(from, defaultLocation);
    List<Part> parts = new ArrayList<>();
    long missing = quantity;
    for (String location : order) {
      if (missing == 0) break;
      long part = Math.min(missing, from.get(location));
      if (part <= 0) continue;
      parts.add(new Part(variant.getString(Fields.ID), location, part));
      missing -= part;
    }
    if (missing > 0) return null;
    parts.forEach(p -> taken.merge(key(variant, p.locationId()), p.quantity(), Long::sum));
    return parts;
  }

  /**
   * The rule applied to what these variants hold at the tenant's active locations (the default location is always
   * active and needs no lookup).
   */
  static Future<Allocation> over(Locations locations, String tenantId, AllocationRules.Rule rule, Collection<JsonObject> variants) {
    Set<String> held = new TreeSet<>();
    variants.forEach(v -> held.addAll(StockLevels.locations(v)));
    return locations.activeAmong(tenantId, held).map(active -> new Allocation(rule, Locations.defaultId(tenantId), active));
  }

  /**
   * Every wanted line taken, or a 409 {@code refusal} listing each line that cannot be, with what it could have
   * (nothing taken).
   */
  List<Part> takeAll(Map<String, JsonObject> found, List<OrderCommands.OrderLine> wanted, String refusal) {
    List<Part> parts = new ArrayList<>();
    JsonArray shortages = new JsonArray();
    for (OrderCommands.OrderLine w : wanted) {
      JsonObject variant = found.get(w.variantId());
      long canGive = w.locationId() == null ? allocatable(variant) : Math.max(0, free(variant, w.locationId()));
      List<Part> taken = take(variant, w.quantity(), w.locationId());
      if (taken != null) {
        parts.addAll(taken);
      } else {
        shortages.add(RecordCodec.toApi(new Shortage(w.variantId(), Sellable.of(variant).sku(), w.quantity(), canGive, w.locationId())));
      }
    }
    if (!shortages.isEmpty()) {
      throw new ServiceError(ErrorCode.CONFLICT, refusal.replace("{n}", Integer.toString(shortages.size())),
        Ops.where("shortages", shortages));
    }
    return merged(parts);
  }

  /** One part per variant and location (a line naming a location and one allocated there by the rule become one). */
  private static List<Part> merged(List<Part> parts) {
    Map<String, Part> byKey = new LinkedHashMap<>();
    for (Part p : parts) {
      byKey.merge(p.variantId() + "@" + p.locationId(), p, (a, b) -> new Part(a.variantId(), a.locationId(), a.quantity() + b.quantity()));
    }
    return new ArrayList<>(byKey.values());
  }

  private Map<String, Long> candidates(JsonObject variant) {
    Map<String, Long> candidates = new LinkedHashMap<>();
    for (String location : StockLevels.locations(variant)) {
      long free = free(variant, location);
      if (active.contains(location) && free > 0) candidates.put(location, free);
    }
    return candidates;
  }

  private static String key(JsonObject variant, String locationId) {
    return variant.getString(Fields.ID) + "@" + locationId;
  }
}
