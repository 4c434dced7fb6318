package io.stockroom.order;

import io.stockroom.auth.TenantSettings;
import io.stockroom.inventory.SourceKind;
import io.stockroom.inventory.StockEvents;
import io.stockroom.inventory.StockLedger;
import io.stockroom.inventory.Variants;
import io.stockroom.inventory.kernel.StockKernel;
import io.stockroom.inventory.kernel.StockServiceKit;
import io.stockroom.inventory.kernel.Work;
import io.stockroom.location.AllocationRules;
import io.stockroom.location.Locations;
import io.stockroom.order.OrderCommands.CreateReservation;
import io.stockroom.order.OrderCommands.OrderLine;
import io.stockroom.order.OrderCommands.ReleaseReservation;
import io.stockroom.platform.bus.Reply;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.Page;
import io.stockroom.platform.unit.Steps;
import io.stockroom.platform.unit.Unit;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
        .locking(ids.stream().map(id -> Variants.LOCK.key(tenantId, id)).toList())
        .reading(() -> variants.getAll(tenantId, ids))
        .writing((unit, found) -> Allocation.over(locations, tenantId, context.resultAt(1), found.values()).compose(allocation -> {
          List<Allocation.Part> parts = allocation.takeAll(found, command.lines(), "Not enough available stock to hold {n} line(s); nothing was held");
          String reservationId = Mongo.newId();
          Reservation reservation = Reservation.hold(reservationId, tenantId,
            Instant.now().plusSeconds(command.ttlSeconds()).truncatedTo(ChronoUnit.MILLIS), command.reference(), parts, found, actor,
            Instant.now().truncatedTo(ChronoUnit.MILLIS));
          Map<String, JsonObject> latest = new HashMap<>(found);
          return Holds.hold(unit, ledger, latest, parts, tenantId, "reserve:" + reservationId, SourceKind.RESERVATION.source(reservationId),
              actor, command.reference() == null ? "reservation" : command.reference(), context.resultAt(0),
              new StockEvents.Key(StockEvents.Type.RESERVED, reservationId))
            .compose(movements -> ReservationRepository.hold(unit, reservation)
              .compose(v -> StockEvents.recorded(unit, vertx, Reply.created(reservation.toApi()), tenantId,
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
          locked.reservation().requireActive();
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
      return Steps.each(due, r -> expire(r.tenantId(), r.id())
          .map(done -> done && expired.add(1))
          .recover(err -> {
            LOG.warn("Reservation {} could not expire yet: {}", r.id(), err.toString());
            return Future.succeededFuture(false);
          }))
        .map(v -> expired.size());
    });
  }

  private Future<Boolean> expire(String tenantId, String id) {
    return tenants.today(tenantId).compose(day -> kernel.run(
      underReservationLocks(Work.<Locked>background("reservations.expire", tenantId), tenantId, id)
        .writing((unit, locked) -> {
          if (!locked.reservation().due(Instant.now())) return Future.succeededFuture(Work.Done.of(Reply.ok(false)));
          return end(unit, locked, ReservationStatus.EXPIRED, "expire:" + id, "system", "reservation expired", day, StockEvents.Type.EXPIRED);
        })))
      .map(reply -> !Boolean.FALSE.equals(reply.body()));
  }

  private Work<Locked> underReservationLocks(Work<Locked> work, String tenantId, String id) {
    return work.locking(List.of(ReservationRepository.LOCK.key(tenantId, id)))
      .reading(() -> reservations.get(tenantId, id).compose(r -> variants.getAll(tenantId, Reservation.fromDocument(r).variantIds())
        .map(found -> new Locked(r, found))))
      .thenLocking(Locked::variantKeys);
  }

  /** Every held unit back to available, and the reservation ends as {@code status}. */
  private Future<Work.Done> end(Unit unit, Locked locked, ReservationStatus status, String keyPrefix, String actor,
                                String reason, String day, StockEvents.Type event) {
    Reservation reservation = locked.reservation();
    String tenantId = reservation.tenantId();
    String id = reservation.id();
    Map<String, JsonObject> latest = new HashMap<>(locked.variants());
    return Holds.release(unit, ledger, latest, reservation.parts(), tenantId, keyPrefix, SourceKind.RESERVATION.source(id), actor, reason, day,
        new StockEvents.Key(event, id))
      .compose(movements -> reservations.settle(unit, locked.document(), status, null)
        .compose(after -> StockEvents.recorded(unit, vertx, Reply.ok(after.toApi()), tenantId, event, id, movements)));
  }
}
