package io.stockroom.platform.logging;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.stockroom.platform.bus.RequestIds;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/**
 * Hands log events to one background writer through a bounded queue (logback's {@link AsyncAppender}), so that an
 * event loop never waits for the console: a container's log pipe that stalls would otherwise stall every request of
 * that loop. The request id is read here, on the thread that logs, because the writer formats the line later on its
 * own thread, where no request is current.
 */
public final class QueuedAppender extends AsyncAppender {
  static final String REQUEST_ID = "requestId";

  @Override
  protected void preprocess(ILoggingEvent event) {
    String requestId = RequestIds.current();
    if (requestId != null && event instanceof LoggingEvent logged) logged.addKeyValuePair(new KeyValuePair(REQUEST_ID, requestId));
    super.preprocess(event);
  }

  /** Writes out what is still queued (at most a second) and stops logging: the last step before the process exits. */
  public static void flush() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) context.stop();
  }
}
