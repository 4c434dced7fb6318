package io.stockroom.platform.ratelimit;

import io.stockroom.platform.eventloop.Confinement;
import io.stockroom.platform.ratelimit.RateLimiter.Bucket;
import io.stockroom.platform.ratelimit.RateLimiter.Decision;
import io.stockroom.platform.ratelimit.RateLimiter.WhenDown;
import io.stockroom.platform.ratelimit.TokenLeases.Grant;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A request takes one token of each of its buckets from this limiter's leases, or none. With a token held for every
 * bucket the answer is immediate and costs no Redis call. Otherwise it reserves one bucket after the other, in the
 * order of their keys (so two requests never wait for each other's buckets); a bucket that refuses makes it release
 * the tokens it reserved, so a refused request costs no bucket anything.
 */
final class LeasedTakes {
  private final TokenLeases leases;
  private final ExactTakes exact;
  private final LimiterOutage outage;

  LeasedTakes(TokenLeases leases, ExactTakes exact, LimiterOutage outage) {
    this.leases = leases;
    this.exact = exact;
    this.outage = outage;
  }

  Future<Decision> take(List<Bucket> buckets) {
    List<Grant> spent = leases.spendHeld(buckets);
    if (spent != null) return Future.succeededFuture(decision(buckets, spent));
    leases.prefetch(buckets);
    // answered on the request's own context, which carries its request id
    Promise<Decision> answer = Confinement.promiseForCaller();
    reserve(buckets, keyOrder(buckets), 0, new Grant[buckets.size()], answer);
    return answer.future();
  }

  private void reserve(List<Bucket> buckets, int[] order, int step, Grant[] grants, Promise<Decision> answer) {
    if (step == order.length) {
      for (Grant grant : grants) leases.spend(grant);
      answer.complete(decision(buckets, Arrays.asList(grants)));
      return;
    }
    int index = order[step];
    Future<Grant> reserved = leases.reserve(buckets.get(index));
    if (reserved == null) {  // no lease to be had here now: this request asks Redis itself
      releaseAll(grants);
      exact.take(buckets, WhenDown.ALLOW).onComplete(answer);
      return;
    }
    reserved.onComplete(done -> {
      if (done.failed()) {
        releaseAll(grants);
        outage.answer(buckets, WhenDown.ALLOW, done.cause()).onComplete(answer);
        return;
      }
      grants[index] = done.result();
      if (done.result().granted()) {
        reserve(buckets, order, step + 1, grants, answer);
        return;
      }
      releaseAll(grants);
      for (int i = 0; i < grants.length; i++) if (grants[i] == null) grants[i] = leases.estimate(buckets.get(i));
      answer.complete(decision(buckets, Arrays.asList(grants)));
    });
  }

  private void releaseAll(Grant[] grants) {
    for (Grant grant : grants) if (grant != null && grant.granted()) leases.release(grant);
  }

  /** The buckets' positions sorted by key. */
  private static int[] keyOrder(List<Bucket> buckets) {
    return IntStream.range(0, buckets.size()).boxed()
      .sorted(Comparator.comparing(i -> buckets.get(i).key())).mapToInt(Integer::intValue).toArray();
  }

  private static Decision decision(List<Bucket> buckets, List<Grant> grants) {
    boolean allowed = true;
    long retryAfterMs = 0;
    List<Long> remaining = new ArrayList<>(grants.size());
    List<Long> resetMs = new ArrayList<>(grants.size());
    for (Grant grant : grants) {
      allowed &= grant.granted();
      retryAfterMs = Math.max(retryAfterMs, grant.retryAfterMs());
      remaining.add(grant.remaining());
      resetMs.add(grant.resetMs());
    }
    return new Decision(allowed, allowed ? 0 : retryAfterMs, buckets, remaining, resetMs, false);
  }
}
