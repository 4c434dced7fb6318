package io.stockroom.platform.eventloop;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Remote calls shared by concurrent requests. Per line (a key), one call is out at a time; requests that arrive
 * meanwhile wait and go together in the next call, so a busy service sends one call per round trip instead of one per
 * request. At most {@code maxWaiting} wait per line (past that a request calls alone, or gets the {@code whenFull}
 * answer given) and a call takes at most {@code maxBatch}. Each request is answered as soon as its own answer is known;
 * a line's next call goes out once every answer of its current call is known (for a call whose answers all come with
 * it, at once). State is confined to the context that created it (a verticle's): from anywhere else a request calls
 * alone. Each request is answered on its own context.
 *
 * @param <A> a request
 * @param <R> its answer
 */
public final class SharedCalls<A, R> {
  private final Confinement owner = Confinement.toCurrent();
  private final int maxWaiting;
  private final int maxBatch;
  private final Function<List<A>, Future<List<Future<R>>>> call;
  private final BiFunction<A, Throwable, Future<R>> whenCallFails;
  private final Predicate<Throwable> unreachable;
  private final Function<A, Future<R>> whenFull;
  private final Map<String, Line<A, R>> lines = new HashMap<>();

  /**
   * @param call          one call for a batch: an answer per request, in the batch's order (each may fail on its own),
   *                      or a failure of the whole call
   * @param whenCallFails each request's answer when its whole call failed
   * @param unreachable   whether a failure says the store did not answer: the requests waiting behind that call are
   *                      then answered with it at once, rather than after a timeout of their own
   */
  public SharedCalls(int maxWaiting, int maxBatch, Function<List<A>, Future<List<Future<R>>>> call,
                     BiFunction<A, Throwable, Future<R>> whenCallFails, Predicate<Throwable> unreachable) {
    this(maxWaiting, maxBatch, call, whenCallFails, unreachable, null);
  }

  /**
   * @param whenFull the answer to a request finding its line's waiting full, instead of a call of its own (for a call
   *                 that would only queue again behind the line's, as behind a lock); null to call alone
   */
  public SharedCalls(int maxWaiting, int maxBatch, Function<List<A>, Future<List<Future<R>>>> call,
                     BiFunction<A, Throwable, Future<R>> whenCallFails, Predicate<Throwable> unreachable,
                     Function<A, Future<R>> whenFull) {
    this.whenFull = whenFull != null ? whenFull : this::alone;
    this.maxWaiting = maxWaiting;
    this.maxBatch = maxBatch;
    this.call = call;
    this.whenCallFails = whenCallFails;
    this.unreachable = unreachable;
  }

  private record Waiting<A, R>(A request, Promise<R> answer) {
  }

  private static final class Line<A, R> {
    boolean calling;
    final ArrayDeque<Waiting<A, R>> waiting = new ArrayDeque<>();
  }

  public Future<R> submit(String lineKey, A request) {
    if (!owner.isHere()) return alone(request);
    Line<A, R> line = lines.computeIfAbsent(lineKey, k -> new Line<>());
    if (line.calling && line.waiting.size() >= maxWaiting) return whenFull.apply(request);
    Waiting<A, R> waiting = new Waiting<>(request, Confinement.promiseForCaller());
    line.waiting.add(waiting);
    if (!line.calling) next(lineKey, line);
    return waiting.answer().future();
  }

  private Future<R> alone(A request) {
    return call.apply(List.of(request)).transform(done -> done.succeeded()
      ? done.result().get(0) : whenCallFails.apply(request, done.cause()));
  }

  private void next(String lineKey, Line<A, R> line) {
    if (line.waiting.isEmpty()) {
      line.calling = false;
      lines.remove(lineKey);
      return;
    }
    line.calling = true;
    List<Waiting<A, R>> batch = new ArrayList<>(Math.min(line.waiting.size(), maxBatch));
    while (!line.waiting.isEmpty() && batch.size() < maxBatch) batch.add(line.waiting.poll());
    call.apply(batch.stream().map(Waiting::request).toList()).onComplete(done -> {
      if (done.succeeded()) {
        // each answer as soon as it is known (the promises are the callers'); the line moves on once all are
        List<Future<R>> answers = done.result();
        for (int i = 0; i < batch.size(); i++) answers.get(i).onComplete(batch.get(i).answer());
        Future.join(answers).onComplete(all -> owner.later(() -> next(lineKey, line)));
        return;
      }
      owner.later(() -> {
        List<Waiting<A, R>> failed = new ArrayList<>(batch);
        if (unreachable.test(done.cause())) {
          failed.addAll(line.waiting);
          line.waiting.clear();
        }
        failed.forEach(w -> whenCallFails.apply(w.request(), done.cause()).onComplete(w.answer()));
        next(lineKey, line);
      });
    });
  }
}
