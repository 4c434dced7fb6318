package io.stockroom.platform.eventloop;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The line of shared calls with answers that come after their call: the next call waits for them; a full line refuses. */
class SharedCallsTest {
  private static final Vertx vertx = Vertx.vertx();

  @AfterAll
  static void close() {
    vertx.close().await();
  }

  private static <T> T onContext(Context context, Supplier<T> work) {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> result.complete(work.get()));
    return result.future().await();
  }

  private static void on(Context context, Runnable work) {
    onContext(context, () -> {
      work.run();
      return null;
    });
  }

  @Test
  @DisplayName("each request is answered when its own answer is known; the line's next call waits until every answer is")
  void nextCallWaitsForEveryAnswer() {
    Context context = vertx.getOrCreateContext();
    List<List<String>> calls = new ArrayList<>();
    List<List<Promise<String>>> pending = new ArrayList<>();
    SharedCalls<String, String> shared = onContext(context, () -> new SharedCalls<String, String>(10, 2, batch -> {
      calls.add(batch);
      List<Promise<String>> answers = batch.stream().map(r -> Promise.<String>promise()).toList();
      pending.add(answers);
      return Future.succeededFuture(answers.stream().map(Promise::future).toList());
    }, (r, err) -> Future.failedFuture(err), err -> false, r -> Future.failedFuture("full")));

    List<Future<String>> answers = onContext(context, () -> List.of("a", "b", "c", "d").stream()
      .map(r -> shared.submit("line", r)).toList());
    assertEquals(List.of(List.of("a")), onContext(context, () -> List.copyOf(calls)), "an idle line calls at once");

    on(context, () -> pending.get(0).get(0).complete("A"));
    assertEquals("A", answers.get(0).await());
    assertEquals(List.of(List.of("a"), List.of("b", "c")), onContext(context, () -> List.copyOf(calls)),
      "the waiting go together, at most maxBatch");

    on(context, () -> pending.get(1).get(1).complete("C"));
    assertEquals("C", answers.get(2).await(), "answered before the other request of its call");
    assertFalse(answers.get(1).isComplete());
    assertEquals(2, onContext(context, calls::size), "the next call waits for the last answer of this one");

    on(context, () -> pending.get(1).get(0).fail("no B"));
    assertTrue(answers.get(1).failed());
    assertEquals(List.of("d"), onContext(context, () -> calls.get(calls.size() - 1)));
    on(context, () -> pending.get(2).get(0).complete("D"));
    assertEquals("D", answers.get(3).await());
  }

  @Test
  @DisplayName("a request finding its line's waiting full gets the whenFull answer, without a call")
  void fullLineRefuses() {
    Context context = vertx.getOrCreateContext();
    List<List<String>> calls = new ArrayList<>();
    Promise<String> first = Promise.promise();
    SharedCalls<String, String> shared = onContext(context, () -> new SharedCalls<String, String>(1, 64, batch -> {
      calls.add(batch);
      return Future.succeededFuture(batch.stream().map(r -> r.equals("a") ? first.future() : Future.succeededFuture(r.toUpperCase())).toList());
    }, (r, err) -> Future.failedFuture(err), err -> false, r -> Future.failedFuture("full: " + r)));

    List<Future<String>> answers = onContext(context, () -> List.of("a", "b", "c").stream()
      .map(r -> shared.submit("line", r)).toList());
    assertEquals("full: c", answers.get(2).cause().getMessage());
    assertEquals(1, onContext(context, calls::size));
    on(context, () -> first.complete("A"));
    assertEquals("A", answers.get(0).await());
    assertEquals("B", answers.get(1).await());
    assertEquals(List.of(List.of("a"), List.of("b")), onContext(context, () -> List.copyOf(calls)));
  }
}
