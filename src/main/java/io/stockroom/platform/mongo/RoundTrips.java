package io.stockroom.platform.mongo;

import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;

import org.bson.BsonValue;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
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
  private static volatile Consumer<CommandStartedEvent> tap;

  static final CommandListener LISTENER = new CommandListener() {
    @Override
    public void commandStarted(CommandStartedEvent event) {
      COMMANDS.incrementAndGet();
      BsonValue target = event.getCommand().get(event.getCommandName());
      String kind = event.getCommandName() + (target != null && target.isString() ? " " + target.asString().getValue() : "");
      BY_KIND.computeIfAbsent(kind, k -> new LongAdder()).increment();
      Consumer<CommandStartedEvent> listening = tap;
      if (listening != null) listening.accept(event);
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

  /** Also hands every command to {@code listener} (the tests record the shape of every query the service sends). */
  public static void tap(Consumer<CommandStartedEvent> listener) {
    tap = listener;
  }

  /** Commands sent since the process started. */
  public static long count() {
    return COMMANDS.get();
  }
}
