package io.stockroom.catalog;

import io.stockroom.inventory.MovementType;
import io.stockroom.inventory.SourceKind;
import io.stockroom.inventory.StockChange;
import io.stockroom.inventory.StockEvents;
import io.stockroom.inventory.StockLedger;
import io.stockroom.inventory.Variant;
import io.stockroom.inventory.Variants;
import io.stockroom.location.Locations;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Creating a variant with its opening stock as its first movement, inside the caller's unit of work: the one place the
 * catalog (one variant or a matrix) and the bulk import (a new SKU) write a new variant. The caller says how the
 * opening stock is recorded ({@link Opening}): its source, key, author, reason, day and stock event.
 */
public final class NewVariants {
  private final Variants variants;
  private final StockLedger ledger;

  public NewVariants(Variants variants, StockLedger ledger) {
    this.variants = variants;
    this.ledger = ledger;
  }

  /**
   * How a new variant's opening stock is recorded: {@code quantity} units (none: no movement) as an ADJUSTMENT at
   * {@code locationId} (null: the default location), from {@code source} under {@code sourceKey}, by {@code userId}
   * for {@code reason} on {@code day}, as part of the stock event {@code event}.
   */
  public record Opening(long quantity, String locationId, JsonObject source, String sourceKey, String userId, String reason,
                        String day, StockEvents.Key event) {

    /** Opening stock at the default location, as the catalog records it: its source is the variant's opening stock. */
    public static Opening of(String variantId, long quantity, String userId, String day, StockEvents.Key event) {
      return new Opening(quantity, null, SourceKind.OPENING_STOCK.source(variantId), "opening:" + variantId, userId, "opening stock",
        day, event);
    }
  }

  /**
   * Inserts {@code variant} (from {@link Variants#newVariant}) with its opening stock: at the default location the
   * variant is created with that stock and its first movement; elsewhere it is created, then the stock is an
   * ADJUSTMENT there. Answers that movement (null without opening stock).
   */
  public Future<JsonObject> create(Unit unit, JsonObject variant, Opening opening) {
    if (opening.quantity() == 0) return variants.create(unit, variant).map(created -> null);
    String tenantId = Variant.of(variant).tenantId();
    if (opening.locationId() == null || opening.locationId().equals(Locations.defaultId(tenantId))) {
      return ledger.createWithOpeningStock(unit, variant, change(tenantId, variant, opening).partOf(opening.event()))
        .map(StockLedger.Applied::movement);
    }
    return variants.create(unit, variant)
      .compose(fresh -> ledger.apply(unit, fresh, change(tenantId, fresh, opening).at(opening.locationId()).partOf(opening.event())))
      .map(StockLedger.Applied::movement);
  }

  private static StockChange change(String tenantId, JsonObject variant, Opening opening) {
    return StockChange.of(tenantId, variant, MovementType.ADJUSTMENT, opening.quantity(), opening.source(), opening.sourceKey(),
      opening.userId(), opening.reason(), opening.day());
  }
}
