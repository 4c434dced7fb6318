package io.stockroom.support;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/** Every log line the test JVM writes from the moment the test stack starts, message and stack trace, for searching. */
public final class LogCapture extends AppenderBase<ILoggingEvent> {
  private static final LogCapture INSTANCE = new LogCapture();
  private final List<String> lines = new ArrayList<>();

  private LogCapture() {
  }

  public static synchronized void install() {
    if (INSTANCE.isStarted()) return;
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    INSTANCE.setContext(context);
    INSTANCE.setName("capture");
    INSTANCE.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(INSTANCE);
  }

  @Override
  protected synchronized void append(ILoggingEvent event) {
    String line = event.getLoggerName() + " " + event.getFormattedMessage();
    if (event.getThrowableProxy() != null) line += "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy());
    lines.add(line);
  }

  /** The captured lines that contain {@code text}. */
  public static List<String> linesContaining(String text) {
    synchronized (INSTANCE) {
      return INSTANCE.lines.stream().filter(line -> line.contains(text)).toList();
    }
  }

  public static int size() {
    synchronized (INSTANCE) {
      return INSTANCE.lines.size();
    }
  }
}
