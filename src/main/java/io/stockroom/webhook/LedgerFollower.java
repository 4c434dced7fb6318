package io.stockroom.webhook;

import io.stockroom.inventory.StockEvents;
import io.stockroom.platform.unit.Steps;
import io.stockroom.webhook.LedgerCursors.Cursor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mongo.MongoClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands on the stock events of each followed tenant (one with an active endpoint, see {@link LedgerCursors}) from its
 * ledger ({@link TenantLedger}): the movements carry their events, so no unit writes a second copy of them.
 *
 * <p>A turn visits the tenants worth it: those a stock event was published for since their last visit (the same
 * event-bus publish the live-stock bridge gets: a hint, never relied on), those whose last visit left work behind, and,
 * taken in turn, any not visited for {@link #IDLE_VISIT} (in case a hint was lost). An idle tenant so costs a query every
 * few seconds, not every turn. Handing an event on twice (both passes, several instances, a crash before the cursor
 * moved) adds nothing: deliveries are unique per endpoint and message id, and a bounded memory of what was handed on
 * spares most repeats.
 *
 * <p>Bounded per turn: at most {@link #TENANTS_PER_TURN} tenants, {@link #TENANTS_AT_ONCE} at a time, a few pages per
 * pass, every query limited. Confined to the event loop it runs on.
 */
final class LedgerFollower {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerFollower.class);
  static final int TENANTS_PER_TURN = 200;
  static final int TENANTS_AT_ONCE = 4;
  static final int EVENTS_REMEMBERED = 100_000;
  /** Tenants this instance keeps state (and a hint consumer) for; the least recently listed are dropped first. */
  static final int TENANTS_REMEMBERED = 10_000;
  static final Duration IDLE_VISIT = Duration.ofSeconds(10);
  static final Duration FINAL_EVERY = Duration.ofSeconds(10);
  /**
   * A tenant left without an active endpoint stops being followed once it was last asked to be followed this long
   * ago: longer than creating an endpoint takes (its tenant is followed first, then the endpoint is written).
   */
  static final Duration UNFOLLOW_AFTER = Duration.ofMinutes(1);
  /** Published (to every instance) with a tenant id when an endpoint starts or resumes following that tenant. */
  static final String FOLLOWED = "webhooks.followed";

  private final Vertx vertx;
  private final LedgerCursors cursors;
  private final Webhooks webhooks;
  private final TenantLedger ledger;
  private final Clock clock;
  private final Map<String, FollowedTenant> tenants = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, FollowedTenant> eldest) {
      if (size() <= TENANTS_REMEMBERED) return false;
      if (eldest.getValue().hints != null) eldest.getValue().hints.unregister();
      return true;
    }
  };
  /** The last tenant of the previous turn's listing, when it did not reach the last followed tenant. */
  private String resumeAfter;

  /**
   * @param lag how long after its id was made a movement is certainly visible if it ever will be: longer than any unit
   *            of work can run ({@code webhooks.ledgerLagMs})
   */
  LedgerFollower(Vertx vertx, MongoClient mongo, Duration lag, Clock clock) {
    this.vertx = vertx;
    this.cursors = new LedgerCursors(mongo);
    this.webhooks = new Webhooks(mongo);
    this.ledger = new TenantLedger(mongo, new HandedOnMemory(EVENTS_REMEMBERED), lag);
    this.clock = clock;
    // a tenant that starts to be followed is visited at the next turn, not once the listing reaches it
    vertx.eventBus().<String>consumer(FOLLOWED, message -> state(message.body()).hinted = true);
  }

  /** One turn: the tenants worth a visit, hinted ones first. Always succeeds. */
  Future<Void> dispatch() {
    return worthVisiting(clock.instant())
      .compose(visits -> {
        List<List<Cursor>> chunks = new ArrayList<>();
        for (int i = 0; i < visits.size(); i += TENANTS_AT_ONCE) chunks.add(visits.subList(i, Math.min(visits.size(), i + TENANTS_AT_ONCE)));
        return Steps.each(chunks, chunk -> Future.join(chunk.stream().map(this::turn).toList()).otherwiseEmpty());
      })
      .otherwise(err -> {
        LOG.warn("Webhook ledgers not followed this turn: {}", err.toString());
        return null;
      });
  }

  /**
   * The cursors of the tenants to visit this turn, at most {@link #TENANTS_PER_TURN}: those hinted or with work left
   * (read by id), then those of the next slice of all followed tenants that are due.
   */
  private Future<List<Cursor>> worthVisiting(Instant now) {
    List<String> urgent = tenants.entrySet().stream().filter(e -> e.getValue().hinted || e.getValue().pending)
      .map(Map.Entry::getKey).limit(TENANTS_PER_TURN).toList();
    Map<String, Cursor> visits = new LinkedHashMap<>();
    return cursors.of(urgent).compose(found -> {
      found.forEach(cursor -> visits.put(cursor.id(), cursor));
      // a tenant another instance stopped following is forgotten here too
      urgent.stream().filter(id -> !visits.containsKey(id)).forEach(this::forget);
      return cursors.after(resumeAfter, TENANTS_PER_TURN);
    }).map(listed -> {
      resumeAfter = listed.size() < TENANTS_PER_TURN ? null : listed.get(listed.size() - 1).id();
      listed.stream().filter(cursor -> state(cursor.id()).due(now, IDLE_VISIT))
        .forEach(cursor -> visits.putIfAbsent(cursor.id(), cursor));
      return visits.values().stream().limit(TENANTS_PER_TURN).toList();
    });
  }

  /** One tenant's visit (its cursor as read); a failure leaves its cursor where it was, and the tenant pending. */
  Future<Void> turn(Cursor cursor) {
    String tenantId = cursor.id();
    FollowedTenant state = state(tenantId);
    Instant now = clock.instant();
    state.hinted = false;
    state.lastVisit = now;
    boolean withFinal = state.finalDue(now, FINAL_EVERY);
    return webhooks.active(tenantId)
      .compose(endpoints -> endpoints.isEmpty() ? unfollowIfLeft(cursor, now)
        : ledger.visit(cursor, endpoints, state.seen, withFinal, now).map(visit -> {
          state.seen = visit.seen();
          state.pending = visit.more();
          if (withFinal) state.lastFinal = now;
          return (Void) null;
        }))
      .onFailure(err -> {
        state.pending = true;
        LOG.warn("Webhook events of tenant {} not handed on this turn: {}", tenantId, err.toString());
      });
  }

  /** This instance's state of the tenant; a new one listens for the tenant's stock events. */
  private FollowedTenant state(String tenantId) {
    FollowedTenant known = tenants.get(tenantId);
    if (known != null) return known;
    FollowedTenant fresh = new FollowedTenant();
    fresh.hints = vertx.eventBus().consumer(StockEvents.address(tenantId), message -> fresh.hinted = true);
    tenants.put(tenantId, fresh);
    return fresh;
  }

  private Future<Void> unfollowIfLeft(Cursor cursor, Instant now) {
    if (!cursor.followedBefore(now.minus(UNFOLLOW_AFTER))) return Future.succeededFuture();
    forget(cursor.id());
    return cursors.unfollow(cursor).mapEmpty();
  }

  private void forget(String tenantId) {
    FollowedTenant state = tenants.remove(tenantId);
    if (state != null && state.hints != null) state.hints.unregister();
  }
}
