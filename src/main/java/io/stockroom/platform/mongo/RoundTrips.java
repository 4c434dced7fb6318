package io.stockroom.platform.mongo;

import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;

import org.bson.BsonValue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Counts the commands this process sends to MongoDB (one per round trip: find, insert, update, findAndModify,
 * getMore, transaction commits...), through the driver's command listener. The benchmark harness divides the count
 * over a run by the operations it completed.
 */
public final class RoundTrips {
  private static final AtomicLong COMMANDS = new AtomicLong();
  private static final Map<String, LongAdder> BY_KIND = new ConcurrentHashMap<>();
  private static final List<Consumer<CommandStartedEvent>> TAPS = new CopyOnWriteArrayList<>();

  static final CommandListener LISTENER = new CommandListener() {
    @Override
    public void commandStarted(CommandStartedEvent event) {
      COMMANDS.incrementAndGet();
      BsonValue target = event.getCommand().get(event.getCommandName());
      String kind = event.getCommandName() + (target != null && target.isString() ? " " + target.asString().getValue() : "");
      BY_KIND.computeIfAbsent(kind, k -> new LongAdder()).increment();
      for (Consumer<CommandStartedEvent> listening : TAPS) listening.accept(event);
    }
  };

  private RoundTrips() {
  }

  /** Commands sent since the process started, by command and collection ("update variants"). */
  public static Map<String, Long> byKind() {
    Map<String, Long> counts = new TreeMap<>();
    BY_KIND.forEach((kind, count) -> counts.put(kind, count.sum()));
    return counts;
  }

  /** Also hands every command to {@code listener} (the tests record what the service sends); undone by the answer. */
  public static Runnable tap(Consumer<CommandStartedEvent> listener) {
    TAPS.add(listener);
    return () -> TAPS.remove(listener);
  }

  /** Commands sent since the process started. */
  public static long count() {
    return COMMANDS.get();
  }
}
