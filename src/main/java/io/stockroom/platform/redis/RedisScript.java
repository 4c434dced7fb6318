package io.stockroom.platform.redis;

import io.stockroom.platform.security.Digests;
import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;

/**
 * A Lua script run by its SHA-1 ({@code EVALSHA}), so the hot path sends a digest instead of the script's text. A
 * server that does not know it yet (restarted, flushed, another node) answers NOSCRIPT; the script is then sent in
 * full once ({@code EVAL} also caches it).
 */
public final class RedisScript {
  private final String text;
  private final String sha;

  public RedisScript(String text) {
    this.text = text;
    this.sha = Digests.sha1Hex(text);
  }

  /** Runs with {@code keys} and then {@code args}. */
  public Future<Response> run(RedisAPI redis, List<String> keys, List<String> args) {
    return redis.evalsha(command(sha, keys, args))
      .recover(err -> String.valueOf(err.getMessage()).startsWith("NOSCRIPT")
        ? redis.eval(command(text, keys, args)) : Future.failedFuture(err));
  }

  private static List<String> command(String script, List<String> keys, List<String> args) {
    List<String> command = new ArrayList<>(2 + keys.size() + args.size());
    command.add(script);
    command.add(Integer.toString(keys.size()));
    command.addAll(keys);
    command.addAll(args);
    return command;
  }
}
