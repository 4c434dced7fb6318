package io.stockroom.platform.mongo;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The MongoDB driver's publishers as Vert.x futures, for the calls the Vert.x client does not offer. */
public final class Publishers {
  /** The client-side timeout waits this much longer than the server's own limit, which answers first. */
  private static final long CLIENT_GRACE_MS = 1_000;

  private Publishers() {
  }

  /**
   * The publisher's last item (or null) as a Future completed on {@code context}, failed after {@code timeoutMs}
   * without an answer (the driver's own timeouts apply too; a late answer is ignored).
   */
  public static <T> Future<T> last(Context context, Publisher<T> publisher, long timeoutMs) {
    return all(context, publisher, timeoutMs).map(items -> items.isEmpty() ? null : items.get(items.size() - 1));
  }

  /** Every item of the publisher, as {@link #last} answers the last one. */
  public static <T> Future<List<T>> all(Context context, Publisher<T> publisher, long timeoutMs) {
    return all(context, publisher).timeout(timeoutMs + CLIENT_GRACE_MS, TimeUnit.MILLISECONDS);
  }

  private static <T> Future<List<T>> all(Context context, Publisher<T> publisher) {
    Promise<List<T>> promise = Promise.promise();
    publisher.subscribe(new Subscriber<T>() {
      private final List<T> items = new ArrayList<>();

      @Override
      public void onSubscribe(Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(T item) {
        items.add(item);
      }

      @Override
      public void onError(Throwable error) {
        context.runOnContext(v -> promise.tryFail(error));
      }

      @Override
      public void onComplete() {
        context.runOnContext(v -> promise.tryComplete(items));
      }
    });
    return promise.future();
  }
}
