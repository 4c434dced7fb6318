package io.stockroom.webhook;

import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.Future;
import io.vertx.ext.mongo.MongoClient;

import java.time.Instant;
import java.util.List;

/**
 * Upgrade step (run by {@code migrate}, before instances of this release serve): every tenant with an active endpoint
 * from a release that did not follow ledgers gets its cursor, from now on. Stock events before that went through the
 * outbox (still drained), so none is missed or sent twice; movements of older releases carry no event and are passed.
 */
public final class EndpointsFollowed {
  private static final int PAGE = 500;

  private final Webhooks webhooks;
  private final LedgerCursors cursors;

  public EndpointsFollowed(MongoClient mongo) {
    this.webhooks = new Webhooks(mongo);
    this.cursors = new LedgerCursors(mongo);
  }

  /** An active endpoint, by whose tenant it is. */
  private record Endpoint(@Key("_id") String id, String tenantId) {
  }

  /** @return how many tenants started to be followed (none once it has run) */
  public Future<Long> run() {
    return page(null, Instant.now(), 0L);
  }

  private Future<Long> page(String afterId, Instant since, long followed) {
    return webhooks.activeAfter(afterId, PAGE)
      .map(docs -> docs.stream().map(doc -> RecordCodec.fromDocument(Endpoint.class, doc)).toList())
      .compose(endpoints -> {
        List<Future<Boolean>> started = endpoints.stream().map(Endpoint::tenantId).distinct()
          .map(tenantId -> cursors.startIfAbsent(tenantId, since)).toList();
        return Future.all(started).compose(all -> {
          long now = followed + started.stream().filter(Future::result).count();
          return endpoints.size() < PAGE ? Future.succeededFuture(now)
            : page(endpoints.get(endpoints.size() - 1).id(), since, now);
        });
      });
  }
}
