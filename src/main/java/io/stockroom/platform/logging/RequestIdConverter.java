package io.stockroom.platform.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.stockroom.platform.bus.RequestIds;
import org.slf4j.event.KeyValuePair;

/**
 * {@code %requestId} in logback patterns: the id of the request the log line was written for, or {@code -}. Taken from
 * the event when {@link QueuedAppender} recorded it there, else from the current request.
 */
public final class RequestIdConverter extends ClassicConverter {
  @Override
  public String convert(ILoggingEvent event) {
    if (event.getKeyValuePairs() != null) {
      for (KeyValuePair pair : event.getKeyValuePairs()) {
        if (QueuedAppender.REQUEST_ID.equals(pair.key)) return String.valueOf(pair.value);
      }
    }
    String id = RequestIds.current();
    return id == null ? "-" : id;
  }
}
