package io.stockroom.platform.bus;

import com.mongodb.MongoExecutionTimeoutException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import org.slf4j.Logger;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Failures that mean a data store did not answer (a timeout, a lost or refused connection, a replica set between
 * primaries): the request may well succeed a moment later, so it is a 503 with {@code Retry-After}, not a 500. Units
 * of work already answer 503 when they roll back; this covers everything else (reads, lists, session checks).
 * Logged at most once per {@link #LOG_EVERY_MS} with the number of such failures since, so an outage cannot flood the log.
 */
final class StoreOutages {
  static final long LOG_EVERY_MS = 10_000;
  private static final int MAX_CAUSES = 8;
  private static final AtomicLong lastLogged = new AtomicLong();
  private static final AtomicLong unlogged = new AtomicLong();

  private StoreOutages() {
  }

  static boolean isOutage(Throwable err) {
    Throwable cause = err;
    for (int depth = 0; cause != null && depth < MAX_CAUSES; depth++, cause = cause.getCause()) {
      if (cause instanceof MongoTimeoutException || cause instanceof MongoSocketException
        || cause instanceof MongoExecutionTimeoutException || cause instanceof MongoNotPrimaryException
        || cause instanceof MongoNodeIsRecoveringException || cause instanceof TimeoutException
        || cause instanceof ConnectException) {
        return true;
      }
    }
    return false;
  }

  static ServiceError unavailable(Logger log, String address, Throwable err) {
    long now = System.currentTimeMillis();
    long last = lastLogged.get();
    if (now - last >= LOG_EVERY_MS && lastLogged.compareAndSet(last, now)) {
      log.warn("Operation {} failed: a data store did not answer ({}); {} more such failure(s) since the last report",
        address, err.toString(), unlogged.getAndSet(0));
    } else {
      unlogged.incrementAndGet();
    }
    return new ServiceError(ErrorCode.UNAVAILABLE, "A data store did not answer in time; retry shortly",
      ServiceError.retryAfter(1));
  }
}
