package io.stockroom.support;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.concurrent.Callable;

/** Runs test code on a given event-loop context, as the service's own code runs, and waits for its result. */
public final class OnContext {
  private OnContext() {
  }

  /** Runs {@code work} on {@code context} and waits for its result (a thrown exception fails it). */
  public static <T> T await(Context context, Callable<Future<T>> work) {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> {
      try {
        work.call().onComplete(result);
      } catch (Exception e) {
        result.fail(e);
      }
    });
    return result.future().await();
  }
}
