package io.stockroom.webhook;

import io.stockroom.inventory.LedgerFeed;
import io.stockroom.platform.outbox.UnitSettlement;
import io.stockroom.webhook.LedgerEvents.MovementRef;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One visit of one followed tenant's ledger, in two passes of a few pages each:
 * <ul>
 *   <li>the final pass reads from the cursor up to the ids made {@code lag} ago. No unit of work runs that long, so no
 *       movement below that bound can still appear; the cursor moves through every movement there that is handled for
 *       good, and stops at the first that is not;</li>
 *   <li>the prompt pass reads the newer movements after those already handed on, so events go out at once, not after
 *       the lag. A movement that becomes visible after the prompt pass read past its id (an earlier transaction that
 *       committed later) is handed on by the final pass.</li>
 * </ul>
 * A unit's movements are looked at only once the unit settled ({@link UnitSettlement}); its events are built from all of
 * its movements, read again after that check, so a rolled-back unit (its movements gone) never makes one.
 */
final class TenantLedger {
  static final int PAGE = 500;
  static final int PAGES_PER_PASS = 4;

  /**
   * What a visit achieved: the last movement the prompt pass handled (every one up to it is handed on or rolled back),
   * and whether it left work behind (a unit not settled yet, a failed delivery, more pages).
   */
  record Visit(String seen, boolean more) {
  }

  private record Pass(String reached, boolean more) {
  }

  private final LedgerFeed feed;
  private final UnitSettlement settlement;
  private final LedgerCursors cursors;
  private final EventHandover handover;
  private final HandedOnMemory handedOn;
  private final Duration lag;

  TenantLedger(MongoClient mongo, HandedOnMemory handedOn, Duration lag) {
    this.feed = new LedgerFeed(mongo);
    this.settlement = new UnitSettlement(mongo);
    this.cursors = new LedgerCursors(mongo);
    this.handover = new EventHandover(mongo);
    this.handedOn = handedOn;
    this.lag = lag;
  }

  /**
   * @param cursor    the tenant's cursor as read
   * @param endpoints its active endpoints
   * @param seen      where its previous prompt pass ended on this instance (null: not known)
   * @param withFinal whether to run the final pass (and move the cursor) this time
   */
  Future<Visit> visit(LedgerCursors.Cursor cursor, List<Webhook.Subscriber> endpoints, String seen, boolean withFinal, Instant now) {
    String tenantId = cursor.id();
    String position = cursor.position();
    Instant horizon = now.minus(lag);
    Future<Void> finalPass = !withFinal ? Future.succeededFuture()
      : pass(tenantId, endpoints, position, LedgerCursors.firstIdAt(horizon), true, PAGES_PER_PASS)
        .compose(passed -> passed.reached().equals(position) ? Future.succeededFuture() : cursors.advance(tenantId, position, passed.reached()))
        .mapEmpty();
    String promptAfter = Stream.of(position, seen, LedgerCursors.lastIdBefore(horizon))
      .filter(Objects::nonNull).max(String::compareTo).orElseThrow();
    return finalPass.compose(v -> pass(tenantId, endpoints, promptAfter, null, false, PAGES_PER_PASS))
      .map(prompt -> new Visit(prompt.reached(), prompt.more()));
  }

  /**
   * Pages of the tenant's movements after {@code after} (below {@code before}, if not null): how far every one is
   * handled for good ({@code after} when the first is not), and whether any is left behind.
   *
   * @param seenBefore the pass reads movements an earlier pass probably handed on
   */
  private Future<Pass> pass(String tenantId, List<Webhook.Subscriber> endpoints, String after, String before, boolean seenBefore,
                            int pagesLeft) {
    return feed.page(tenantId, after, before, PAGE).compose(page -> {
      if (page.isEmpty()) return Future.succeededFuture(new Pass(after, false));
      return handOn(tenantId, endpoints, page, seenBefore).compose(handledTo -> {
        String reached = handledTo == null ? after : handledTo;
        boolean wholePage = reached.equals(MovementRef.of(page.get(page.size() - 1)).id());
        if (!wholePage) return Future.succeededFuture(new Pass(reached, true));
        if (page.size() < PAGE) return Future.succeededFuture(new Pass(reached, false));
        return pagesLeft > 1 ? pass(tenantId, endpoints, reached, before, seenBefore, pagesLeft - 1)
          : Future.succeededFuture(new Pass(reached, true));
      });
    });
  }

  /**
   * Hands on the events of the page's settled units, built from all of their movements as they are now; answers the
   * last movement of the page's longest prefix that is handled for good (null: not even the first).
   */
  private Future<String> handOn(String tenantId, List<Webhook.Subscriber> endpoints, List<JsonObject> page, boolean seenBefore) {
    List<String> unitIds = page.stream().map(m -> MovementRef.of(m).unitId()).filter(Objects::nonNull).distinct().toList();
    return settlement.among(unitIds).compose(unsettled -> feed.byUnit(tenantId, unitIds.stream().filter(unsettled::settled).toList())
      .compose(byUnit -> {
        List<LedgerEvents.Made> made = LedgerEvents.of(tenantId, byUnit.values());
        List<WebhookEvent> fresh = made.stream().map(LedgerEvents.Made::event).filter(e -> !handedOn.contains(e.key())).toList();
        return handover.handOn(tenantId, fresh, endpoints, seenBefore).map(handed -> {
          handed.forEach(handedOn::add);
          return handledTo(page, unsettled, byUnit, made);
        });
      }));
  }

  /**
   * A movement is handled for good when it belongs to no event (an older release's), when its unit rolled back (gone
   * once settled, or awaiting the repair of its undo: never committed either way), or when every event it is part
   * of was handed on. A unit still in the journal may go either way.
   */
  private String handledTo(List<JsonObject> page, UnitSettlement.Unsettled unsettled, Map<String, List<JsonObject>> byUnit,
                           List<LedgerEvents.Made> made) {
    Set<String> present = new HashSet<>();
    byUnit.values().forEach(movements -> movements.forEach(m -> present.add(MovementRef.of(m).id())));
    Map<String, List<String>> eventsOf = new LinkedHashMap<>();
    made.forEach(m -> m.movementIds().forEach(id -> eventsOf.computeIfAbsent(id, k -> new ArrayList<>()).add(m.event().key())));
    String handled = null;
    for (JsonObject movement : page) {
      MovementRef ref = MovementRef.of(movement);
      String id = ref.id();
      String unitId = ref.unitId();
      boolean done = unitId == null || unsettled.awaitingRepair().contains(unitId)
        || unsettled.settled(unitId) && (!present.contains(id) || eventsOf.getOrDefault(id, List.of()).stream().allMatch(handedOn::contains));
      if (!done) break;
      handled = id;
    }
    return handled;
  }
}
