package io.stockroom.platform.ratelimit;

import io.stockroom.platform.eventloop.SharedCalls;
import io.stockroom.platform.ratelimit.RateLimiter.Bucket;
import io.stockroom.platform.ratelimit.RateLimiter.Decision;
import io.stockroom.platform.ratelimit.RateLimiter.WhenDown;
import io.stockroom.platform.redis.RedisScript;
import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Every request asks Redis: one token from each of its buckets in one atomic script, or from none of them, so a
 * limit holds exactly across instances. Requests for the same buckets that arrive while a call for them is out go
 * together in the next call, which asks for as many tokens as there are requests: Redis hands out what it has, in
 * arrival order, exactly as one call per request would.
 */
final class ExactTakes {
  /**
   * KEYS: the buckets. ARGV: quota and window (ms) per bucket, then how many tokens are asked for ({@code n}). Takes
   * the largest {@code k <= n} that every bucket can give, from every bucket. Returns k, the ms until the next token
   * once those are taken (0 when all n were given), then remaining and ms-to-full per bucket.
   */
  private static final RedisScript TAKE_SCRIPT = new RedisScript("""
    local clock = redis.call('TIME')
    local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
    local wanted = tonumber(ARGV[2 * #KEYS + 1])
    local levels = {}
    local granted = wanted
    for i = 1, #KEYS do
      local quota = tonumber(ARGV[2 * i - 1])
      local rate = quota / tonumber(ARGV[2 * i])
      local state = redis.call('HMGET', KEYS[i], 'tokens', 'at')
      local level = tonumber(state[1])
      local at = tonumber(state[2])
      if level == nil or at == nil then level = quota at = now end
      level = math.min(quota, level + math.max(0, now - at) * rate)
      levels[i] = level
      granted = math.max(0, math.min(granted, math.floor(level)))
    end
    local retry = 0
    local out = {granted, 0}
    for i = 1, #KEYS do
      local quota = tonumber(ARGV[2 * i - 1])
      local window = tonumber(ARGV[2 * i])
      local level = levels[i] - granted
      if granted > 0 then
        redis.call('HSET', KEYS[i], 'tokens', tostring(level), 'at', tostring(now))
        redis.call('PEXPIRE', KEYS[i], window + 1000)
      end
      if granted < wanted and level < 1 then
        retry = math.max(retry, math.ceil((1 - level) * window / quota))
      end
      out[#out + 1] = math.floor(level)
      out[#out + 1] = math.ceil((quota - level) * window / quota)
    end
    out[2] = retry
    return out
    """);

  /** Requests for the same buckets waiting while a call for those buckets is out, at most this many per buckets. */
  static final int MAX_WAITING = 4_096;

  private final RedisAPI redis;
  private final long commandTimeoutMs;
  private final SharedCalls<Ask, Decision> calls;

  /** Create it on the context that will call {@link #take}: its shared calls are confined to that context. */
  ExactTakes(RedisAPI redis, long commandTimeoutMs, LimiterOutage outage) {
    this.redis = redis;
    this.commandTimeoutMs = commandTimeoutMs;
    // Any failure means Redis did not answer in time: those who waited behind the call get the same answer at once.
    this.calls = new SharedCalls<>(MAX_WAITING, Integer.MAX_VALUE, this::call,
      (ask, err) -> outage.answer(ask.buckets(), ask.whenDown(), err), err -> true);
  }

  /** One request asking for one token of each of its buckets. */
  private record Ask(List<Bucket> buckets, WhenDown whenDown) {
  }

  Future<Decision> take(List<Bucket> buckets, WhenDown whenDown) {
    return calls.submit(buckets.stream().map(Bucket::key).collect(Collectors.joining(" ")), new Ask(buckets, whenDown));
  }

  /** One script call for asks that share their buckets: the first {@code granted} of them pass. */
  private Future<List<Future<Decision>>> call(List<Ask> asks) {
    List<Bucket> buckets = asks.get(0).buckets();
    return send(buckets, asks.size()).map(reply -> IntStream.range(0, asks.size())
      .mapToObj(i -> Future.succeededFuture(decision(buckets, reply, i))).toList());
  }

  private Future<Response> send(List<Bucket> buckets, int tokens) {
    List<String> keys = buckets.stream().map(Bucket::key).toList();
    List<String> args = new ArrayList<>(buckets.size() * 2 + 1);
    for (Bucket bucket : buckets) {
      args.add(Long.toString(bucket.quota()));
      args.add(Long.toString(bucket.windowSeconds() * 1000L));
    }
    args.add(Integer.toString(tokens));
    return TAKE_SCRIPT.run(redis, keys, args).timeout(commandTimeoutMs, TimeUnit.MILLISECONDS);
  }

  /** The answer for the {@code position}-th ask of a call: granted in order while tokens lasted. */
  private static Decision decision(List<Bucket> buckets, Response reply, int position) {
    long granted = reply.get(0).toLong();
    boolean allowed = position < granted;
    long takenAfterThis = allowed ? granted - 1 - position : 0;
    List<Long> remaining = new ArrayList<>(buckets.size());
    List<Long> resetMs = new ArrayList<>(buckets.size());
    for (int i = 0; i < buckets.size(); i++) {
      remaining.add(Math.max(0, reply.get(2 + 2 * i).toLong() + takenAfterThis));
      resetMs.add(Math.max(0, reply.get(3 + 2 * i).toLong()));
    }
    return new Decision(allowed, allowed ? 0 : reply.get(1).toLong(), buckets, remaining, resetMs, false);
  }
}
