package io.stockroom.platform.unit;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * Runs asynchronous steps one after another in a loop, never as a chain of futures built up front: a chain of
 * hundreds of {@code compose} calls overflows the stack on its failure path. Steps that complete synchronously are
 * taken in the same loop; a step that completes later resumes the loop from its callback. The first failure stops
 * the loop and fails the result; the result always completes.
 */
public final class Steps {
  private Steps() {
  }

  /** Applies {@code step} to each item in order, each after the previous one succeeded. */
  public static <T> Future<Void> each(Iterable<T> items, Function<? super T, ? extends Future<?>> step) {
    Promise<Void> done = Promise.promise();
    new Loop<>(items.iterator(), step, done).next();
    return done.future();
  }

  /** Like {@link #each}, collecting each step's result in order. */
  public static <T, R> Future<List<R>> map(Iterable<T> items, Function<? super T, ? extends Future<R>> step) {
    List<R> results = new ArrayList<>();
    return each(items, item -> step.apply(item).map(result -> {
      results.add(result);
      return null;
    })).map(v -> results);
  }

  private static final class Loop<T> {
    private final Iterator<T> items;
    private final Function<? super T, ? extends Future<?>> step;
    private final Promise<Void> done;

    Loop(Iterator<T> items, Function<? super T, ? extends Future<?>> step, Promise<Void> done) {
      this.items = items;
      this.step = step;
      this.done = done;
    }

    void next() {
      while (items.hasNext()) {
        Future<?> current;
        try {
          current = step.apply(items.next());
        } catch (RuntimeException e) {
          done.tryFail(e);
          return;
        }
        if (current.isComplete()) {
          if (current.failed()) {
            done.tryFail(current.cause());
            return;
          }
          continue;
        }
        current.onComplete(ar -> {
          if (ar.failed()) done.tryFail(ar.cause());
          else next();
        });
        return;
      }
      done.tryComplete();
    }
  }
}
