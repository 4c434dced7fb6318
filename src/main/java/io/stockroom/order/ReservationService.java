package io.stockroom.order;

import io.stockroom.auth.TenantSettings;
import io.stockroom.inventory.SourceKind;
import io.stockroom.inventory.StockEvents;
import io.stockroom.inventory.StockLedger;
import io.stockroom.inventory.Variants;
import io.stockroom.location.AllocationRules;
import io.stockroom.location.Locations;
import io.stockroom.order.OrderCommands.CreateReservation;
import io.stockroom.order.OrderCommands.OrderLine;
import io.stockroom.order.OrderCommands.ReleaseReservation;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.kernel.StockKernel;
import io.stockroom.platform.kernel.StockServiceKit;
import io.stockroom.platform.kernel.Work;
import io.stockroom.platform.lock.LockKeys;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.unit.Steps;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reservations hold stock for a checkout: the units leave {@code available} for {@code reserved} (on hand stays)
 * until an order consumes them ({@link PlaceOrders}), they are released, or they expire. Creating one locks its
 * variants and allocates like an order (a named location, or the tenant's rule), all lines or none. Expired holds are
 * given back by {@link #expireDue}, which every instance may run: each reservation ends exactly once, under its lock,
 * by a compare-and-set on its status.
 */
public class ReservationService {
  private static final Logger LOG = LoggerFactory.getLogger(ReservationService.class);
  static final int EXPIRE_BATCH = 200;

  private final Vertx vertx;
  private final ReservationRepository reservations;
  private final Variants variants;
  private final StockLedger ledger;
  private final StockKernel kernel;
  private final TenantSettings tenants;
  private final Locations locations;
  private final AllocationRules rules;

  public ReservationService(Vertx vertx, StockServiceKit kit) {
    MongoClient mongo = kit.mongo();
    this.vertx = vertx;
    this.reservations = new ReservationRepository(mongo);
    this.variants = new Variants(mongo);
    this.ledger = new StockLedger(variants);
    this.kernel = kit.kernel();
    this.tenants = new TenantSettings(mongo);
    this.locations = new Locations(mongo);
    this.rules = AllocationRules.cached(vertx, mongo);
  }

  /** 201 ACTIVE, or 409 with shortages. */
  public Future<Reply> create(CreateReservation command) {
    String tenantId = command.by().tenantId();
    String actor = command.by().userId();
    Set<String> ids = OrderLine.variantIds(command.lines());
    return Future.all(tenants.today(tenantId), rules.get(tenantId), locations.findAll(tenantId, OrderLine.namedLocations(command.lines())))
      .compose(context -> kernel.run(Work.<Map<String, JsonObject>>of(command.by())
        .locking(ids.stream().map(id -> LockKeys.variant(tenantId, id)).toList())
        .reading(() -> variants.getAll(tenantId, ids))
        .writing((unit, found) -> Allocation.over(locations, tenantId, context.resultAt(1), found.values()).compose(allocation -> {
          List<Allocation.Part> parts = allocation.takeAll(found, command.lines(), "Not enough available stock to hold {n} line(s); nothing was held");
          String reservationId = Mongo.newId();
          JsonObject reservation = new JsonObject().put("_id", reservationId).put("tenantId", tenantId)
            .put("status", ReservationStatus.ACTIVE.name())
            .put("expiresAt", Mongo.date(Instant.now().plusSeconds(command.ttlSeconds()).truncatedTo(java.time.temporal.ChronoUnit.MILLIS)))
            .put("reference", command.reference()).put("lines", lines(found, parts)).put("version", 0L)
            .put("createdBy", actor).put("createdAt", Mongo.now());
          Map<String, JsonObject> latest = new HashMap<>(found);
          return Holds.hold(unit, ledger, latest, parts, tenantId, "reserve:" + reservationId, SourceKind.RESERVATION.source(reservationId),
              actor, command.reference() == null ? "reservation" : command.reference(), context.resultAt(0),
              new StockEvents.Key(StockEvents.Type.RESERVED, reservationId))
            .compose(movements -> unit.insert(ReservationRepository.COLLECTION, reservation)
              .compose(v -> StockEvents.recorded(unit, vertx, Reply.created(ReservationRepository.toApi(reservation)), tenantId,
                StockEvents.Type.RESERVED, reservationId, movements)));
        }))));
  }

  /** One page of the tenant's reservations the query's filters let through. */
  public Future<JsonObject> list(String tenantId, JsonObject query) {
    return reservations.search(tenantId, query, Page.from(query));
  }

  /** The reservation as the API shows it. */
  public Future<JsonObject> get(String tenantId, String reservationId) {
    return reservations.get(tenantId, reservationId).map(ReservationRepository::toApi);
  }

  /** ACTIVE → RELEASED: every held unit goes back to available. A reservation that ended already is a 409. */
  public Future<Reply> release(ReleaseReservation command) {
    String tenantId = command.by().tenantId();
    String id = command.reservationId();
    return tenants.today(tenantId).compose(day -> reservations.get(tenantId, id).compose(exists -> kernel.run(
      underReservationLocks(Work.<Locked>of(command.by()), tenantId, id)
        .writing((unit, locked) -> {
          ReservationRepository.requireActive(locked.document());
          return end(unit, locked, ReservationStatus.RELEASED, "release:" + id, command.by().userId(), "reservation released", day,
            StockEvents.Type.RELEASED);
        }))));
  }

  /**
   * Gives back the units of reservations whose time ran out (a batch per call, oldest first). Safe on every instance
   * at once: each runs under the reservation's lock and re-checks that it is still ACTIVE and expired.
   */
  public Future<Integer> expireDue() {
    return reservations.due(EXPIRE_BATCH).compose(due -> {
      List<Integer> expired = new ArrayList<>();
      return Steps.each(due, r -> expire(r.getString("tenantId"), r.getString("_id"))
          .map(done -> done && expired.add(1))
          .recover(err -> {
            LOG.warn("Reservation {} could not expire yet: {}", r.getString("_id"), err.toString());
            return Future.succeededFuture(false);
          }))
        .map(v -> expired.size());
    });
  }

  private Future<Boolean> expire(String tenantId, String id) {
    return tenants.today(tenantId).compose(day -> kernel.run(
      underReservationLocks(Work.<Locked>background("reservations.expire", tenantId), tenantId, id)
        .writing((unit, locked) -> {
          JsonObject reservation = locked.document();
          boolean due = ReservationStatus.ACTIVE.name().equals(reservation.getString("status"))
            && ReservationRepository.expired(reservation, Instant.now());
          if (!due) return Future.succeededFuture(Work.Done.of(Reply.ok(false)));
          return end(unit, locked, ReservationStatus.EXPIRED, "expire:" + id, "system", "reservation expired", day, StockEvents.Type.EXPIRED);
        })))
      .map(reply -> !Boolean.FALSE.equals(reply.body()));
  }

  private Work<Locked> underReservationLocks(Work<Locked> work, String tenantId, String id) {
    return work.locking(List.of(LockKeys.reservation(tenantId, id)))
      .reading(() -> reservations.get(tenantId, id).compose(r -> variants.getAll(tenantId, ReservationRepository.variantIds(r))
        .map(found -> new Locked(r, found))))
      .thenLocking(Locked::variantKeys);
  }

  /** Every held unit back to available, and the reservation ends as {@code status}. */
  private Future<Work.Done> end(Unit unit, Locked locked, ReservationStatus status, String keyPrefix, String actor,
                                String reason, String day, StockEvents.Type event) {
    JsonObject reservation = locked.document();
    String tenantId = reservation.getString("tenantId");
    String id = reservation.getString("_id");
    Map<String, JsonObject> latest = new HashMap<>(locked.variants());
    return Holds.release(unit, ledger, latest, parts(reservation), tenantId, keyPrefix, SourceKind.RESERVATION.source(id), actor, reason, day,
        new StockEvents.Key(event, id))
      .compose(movements -> reservations.settle(unit, reservation, status, new JsonObject())
        .compose(after -> StockEvents.recorded(unit, vertx, Reply.ok(ReservationRepository.toApi(after)), tenantId, event, id, movements)));
  }

  private static JsonArray lines(Map<String, JsonObject> found, List<Allocation.Part> parts) {
    Map<String, JsonObject> lines = new TreeMap<>();
    for (Allocation.Part part : parts) {
      JsonObject line = lines.computeIfAbsent(part.variantId(), id -> new JsonObject().put("variantId", id)
        .put("sku", found.get(id).getString("sku")).put("quantity", 0L).put("allocations", new JsonArray()));
      line.put("quantity", line.getLong("quantity") + part.quantity());
      line.getJsonArray("allocations").add(new JsonObject().put("locationId", part.locationId()).put("quantity", part.quantity()));
    }
    return new JsonArray(new ArrayList<>(lines.values()));
  }

  private static List<Allocation.Part> parts(JsonObject reservation) {
    List<Allocation.Part> parts = new ArrayList<>();
    for (Object o : reservation.getJsonArray("lines")) {
      JsonObject line = (JsonObject) o;
      for (Object a : line.getJsonArray("allocations")) {
        JsonObject held = (JsonObject) a;
        parts.add(new Allocation.Part(line.getString("variantId"), held.getString("locationId"), held.getLong("quantity")));
      }
    }
    return parts;
  }
}
