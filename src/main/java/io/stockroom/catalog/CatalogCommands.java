package io.stockroom.catalog;

import io.stockroom.inventory.SearchKeys;
import io.stockroom.inventory.Variant;
import io.stockroom.platform.bus.BusRequest;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.IdempotencyClaim;
import io.stockroom.platform.bus.Invocation;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.contract.ContractSchemas;
import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.Ops;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** The commands of {@link CatalogService}, each parsed once from its request (validated by the contract). */
public final class CatalogCommands {
  /** What each variant of a matrix must be, as an import row and the body of a single create must. */
  static final String VARIANT_CREATE = "/components/schemas/VariantCreate";
  /** The contract's schemas the commands check with. */
  static final List<String> SCHEMAS = List.of(VARIANT_CREATE);
  /** What a request that changes stock without an Idempotency-Key is told, as the contract words it for every such operation. */
  static final String KEY_REQUIRED = "/components/parameters/IdempotencyKeyRequired/x-required-message";

  private CatalogCommands() {
  }

  public record CreateProduct(Invocation by, String name, String description, String category) {
    static CreateProduct from(BusRequest request) {
      Body body = RecordCodec.api(Body.class).decode(request.body());
      return new CreateProduct(request.invocation(), body.name(), body.description(), body.category());
    }

    /** The contract's {@code ProductCreate}. */
    private record Body(String name, String description, String category) {
    }
  }

  /** A partial change by the contract's {@code ProductPatch}: a field given null is removed, one not given kept. */
  public record ChangeProduct(Invocation by, String productId, JsonObject changes) {
    static ChangeProduct from(BusRequest request) {
      return new ChangeProduct(request.invocation(), request.pathParam("productId"), request.body());
    }
  }

  /**
   * New variants of a product, all or none: one, or each combination of a matrix (checked one by one by the contract's
   * variant schema), with one price, reorder level and opening stock.
   */
  public record CreateVariants(Invocation by, String productId, List<VariantMatrix.Combination> variants, long price,
                               long reorderLevel, long openingStock, boolean matrix) {
    public CreateVariants {
      variants = List.copyOf(variants);
      if (variants.isEmpty()) throw new ServiceError(ErrorCode.VALIDATION, "Give either sku (one variant) or matrix with skuPattern");
    }

    /**
     * Opening stock is a ledger movement, and every stock change takes an Idempotency-Key: without opening stock the
     * key is optional, with it (one variant or a matrix) it is required, checked here before anything else.
     */
    static CreateVariants from(BusRequest request, ContractSchemas schemas) {
      Body body = RecordCodec.api(Body.class).decode(request.body());
      if (body.openingStock() instanceof Number opening && opening.longValue() > 0 && request.invocation().claim() == null) {
        throw IdempotencyClaim.missing(schemas.text(KEY_REQUIRED));
      }
      List<VariantMatrix.Combination> variants = body.matrix() != null ? matrix(body, schemas) : single(body);
      return new CreateVariants(request.invocation(), request.pathParam("productId"), variants, ((Number) body.price()).longValue(),
        body.reorderLevel() == null ? 0L : ((Number) body.reorderLevel()).longValue(),
        body.openingStock() == null ? 0L : ((Number) body.openingStock()).longValue(), body.matrix() != null);
    }

    /**
     * The contract's {@code VariantCreate} (one variant) or a matrix of them: the numbers as sent, so that each variant
     * of a matrix is checked with exactly them.
     */
    private record Body(String sku, JsonObject attributes, Object price, Object reorderLevel, Object openingStock,
                        JsonObject matrix, String skuPattern) {
    }

    /** One variant of a matrix as a single create's body would give it. */
    private record MatrixVariant(String sku, JsonObject attributes, Object price, Object reorderLevel, Object openingStock) {
    }

    private static List<VariantMatrix.Combination> single(Body body) {
      return body.sku() == null ? List.of()
        : List.of(new VariantMatrix.Combination(body.sku(), body.attributes() == null ? new JsonObject() : body.attributes()));
    }

    /**
     * A matrix's variant is checked as a single create's body is (the router checked the matrix itself); what is
     * wrong is reported against what made it: its SKU against {@code skuPattern}, an attribute against its entry.
     */
    private static List<VariantMatrix.Combination> matrix(Body body, ContractSchemas schemas) {
      List<VariantMatrix.Combination> combinations = VariantMatrix.expand(body.matrix(), body.skuPattern());
      for (VariantMatrix.Combination combination : combinations) {
        JsonObject variant = RecordCodec.toApi(new MatrixVariant(combination.sku(), combination.attributes(), body.price(),
          body.reorderLevel(), body.openingStock()));
        JsonArray errors = new JsonArray();
        schemas.errors(VARIANT_CREATE, variant).forEach(error -> {
          JsonObject found = (JsonObject) error;
          errors.add(found.copy().put("pointer", found.getString("pointer").replaceFirst("^#/sku$", "#/skuPattern")
            .replaceFirst("^#/attributes/", "#/matrix/")));
        });
        if (!errors.isEmpty()) {
          JsonObject first = errors.getJsonObject(0);
          throw new ServiceError(ErrorCode.VALIDATION, "The matrix makes the variant " + combination.sku() + ", which is invalid: "
            + first.getString("pointer") + ": " + first.getString("message"), new JsonObject().put("errors", errors));
        }
      }
      return combinations;
    }
  }

  /**
   * Which variants a list shows: of one product, with one SKU, only those low on stock (each optional); or those a
   * search finds ({@code q}: SKU prefix, or a prefix of the product's name or of one of its words, case-insensitive);
   * or those changed after an instant ({@code updatedAfter}, for incremental sync). A search and a sync each stand alone.
   */
  public record VariantFilter(String productId, String sku, boolean lowStock, String q, String updatedAfter) {
    static VariantFilter from(JsonObject query) {
      Query parsed = RecordCodec.api(Query.class).decode(query);
      VariantFilter filter = new VariantFilter(parsed.productId(), parsed.sku(), Boolean.TRUE.equals(parsed.lowStock()),
        SearchKeys.query(parsed.q()), parsed.updatedAfter());
      boolean narrowed = filter.productId != null || filter.sku != null || filter.lowStock;
      if (parsed.q() != null && (narrowed || filter.updatedAfter != null)) {
        throw new ServiceError(ErrorCode.VALIDATION, "q cannot be combined with productId, sku, lowStock or updatedAfter");
      }
      if (filter.updatedAfter != null && narrowed) {
        throw new ServiceError(ErrorCode.VALIDATION, "updatedAfter cannot be combined with productId, sku or lowStock");
      }
      return filter;
    }

    /** The list's query parameters. */
    private record Query(String productId, String sku, Boolean lowStock, String q, String updatedAfter) {
    }

    /** The variants' fields it matches: {@code low} is Variant.isLow, stored on the variant by each of its writes. */
    private record Match(String productId, String sku, @Key(Variant.LOW) Boolean low) {
    }

    JsonObject toQuery() {
      return RecordCodec.toDocument(new Match(productId, sku, lowStock ? Boolean.TRUE : null));
    }

    /** A search: the SKU's keys, or the products whose name keys matched (index {tenantId, skuKeys|productId, _id}). */
    JsonObject toSearch(List<String> productIds) {
      JsonObject bySku = Ops.where(Variant.SKU_KEYS, q);
      if (productIds.isEmpty()) return bySku;
      return Ops.where("$or", new JsonArray().add(bySku).add(Ops.where(Variant.PRODUCT_ID, Ops.in(productIds))));
    }
  }

  /** A change by the contract's {@code VariantPatch}: catalog fields, and reorder levels of single locations. */
  public record ChangeVariant(Invocation by, String variantId, JsonObject changes) {
    static ChangeVariant from(BusRequest request) {
      return new ChangeVariant(request.invocation(), request.pathParam("variantId"), request.body());
    }

    JsonObject locationReorderLevels() {
      return changes.getJsonObject(Variant.LOCATION_REORDER_LEVELS);
    }
  }
}
