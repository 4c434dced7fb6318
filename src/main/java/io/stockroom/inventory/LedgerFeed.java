package io.stockroom.inventory;

import io.stockroom.platform.mongo.Fields;
import io.stockroom.platform.mongo.Ops;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ledger as those who follow it read it (webhooks): a tenant's movements in {@code _id} order, and every movement
 * one unit of work wrote. Reads only; every query has a limit, and each walks one range of an index: {tenantId, _id}
 * for the pages, {tenantId, unitId, _id} for a unit's movements.
 *
 * <p>Ids are made when a movement is recorded, not when it becomes visible: a transaction that started earlier can
 * commit after a later one, and a compensating unit's movements are visible before it commits (and go again if it
 * rolls back). Followers decide what is final themselves.
 */
public final class LedgerFeed {
  /** Most movements one query answers. */
  public static final int MAX_PAGE = 1_000;

  private final MovementRepository movements;

  public LedgerFeed(MongoClient mongo) {
    this.movements = new MovementRepository(mongo);
  }

  /**
   * The tenant's movements with an id after {@code afterId} (null: from the first) and before {@code beforeId} (null: no
   * bound), oldest first, at most {@code limit}: only {@code _id} and {@code unitId} (absent on movements of releases
   * before the ledger carried events).
   */
  public Future<List<JsonObject>> page(String tenantId, String afterId, String beforeId, int limit) {
    JsonObject ids = new JsonObject();
    if (afterId != null) ids.mergeIn(Ops.gt(afterId));
    if (beforeId != null) ids.mergeIn(Ops.lt(beforeId));
    JsonObject filter = Ops.where(Fields.TENANT_ID, tenantId);
    if (!ids.isEmpty()) filter.put(Fields.ID, ids);
    return movements.find(filter, new FindOptions()
      .setFields(Ops.only(Movement.UNIT_ID)).setSort(Ops.sort(Fields.ID)).setLimit(Math.min(limit, MAX_PAGE)));
  }

  /**
   * Every movement these units of the tenant wrote that exists now, whole, by unit id, each unit's in ledger order.
   * A unit missing from the answer has no movement (any more).
   */
  public Future<Map<String, List<JsonObject>>> byUnit(String tenantId, Collection<String> unitIds) {
    Map<String, List<JsonObject>> found = new LinkedHashMap<>();
    return units(tenantId, unitIds.stream().distinct().sorted().toList(), found).map(found);
  }

  /**
   * Pages over the units in {unitId, _id} order; when a page is full, its last unit may go on: the rest of that unit
   * is read on its own, then the units after it.
   */
  private Future<Void> units(String tenantId, List<String> sortedUnitIds, Map<String, List<JsonObject>> found) {
    if (sortedUnitIds.isEmpty()) return Future.succeededFuture();
    JsonObject filter = Ops.where(Fields.TENANT_ID, tenantId).put(Movement.UNIT_ID, Ops.in(sortedUnitIds));
    return movements.find(filter, new FindOptions()
        .setSort(Ops.sort(Movement.UNIT_ID, Fields.ID)).setLimit(MAX_PAGE))
      .compose(page -> {
        page.forEach(m -> found.computeIfAbsent(Movement.of(m).unitId(), u -> new ArrayList<>()).add(m));
        if (page.size() < MAX_PAGE) return Future.succeededFuture();
        Movement last = Movement.of(page.get(page.size() - 1));
        String lastUnit = last.unitId();
        List<String> later = sortedUnitIds.stream().filter(id -> id.compareTo(lastUnit) > 0).toList();
        return restOf(tenantId, lastUnit, last.id(), found).compose(v -> units(tenantId, later, found));
      });
  }

  private Future<Void> restOf(String tenantId, String unitId, String afterId, Map<String, List<JsonObject>> found) {
    JsonObject filter = Ops.where(Fields.TENANT_ID, tenantId).put(Movement.UNIT_ID, unitId).put(Fields.ID, Ops.gt(afterId));
    return movements.find(filter, new FindOptions()
        .setSort(Ops.sort(Fields.ID)).setLimit(MAX_PAGE))
      .compose(page -> {
        found.computeIfAbsent(unitId, u -> new ArrayList<>()).addAll(page);
        return page.size() < MAX_PAGE ? Future.succeededFuture()
          : restOf(tenantId, unitId, Movement.of(page.get(page.size() - 1)).id(), found);
      });
  }
}
