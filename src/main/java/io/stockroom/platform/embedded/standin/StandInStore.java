package io.stockroom.platform.embedded.standin;

import de.bwaldvogel.mongo.MongoServer;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The embedded MongoDB stand-in: mongo-java-server's wire protocol over {@link StandInBackend}, its data in one
 * MVStore file of a directory (kept across restarts, paged in and out of a small cache instead of living on the
 * heap) or, for tests, in memory. A daemon removes expired documents once a minute, as MongoDB's TTL monitor does.
 */
public final class StandInStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StandInStore.class);
  /** The file's name in the data directory. */
  public static final String FILE_NAME = "stockroom.mv.db";
  private static final int CACHE_MB = 8;
  /**
   * How often changes go to the file. Each write rewrites every page changed since the last one, so hot pages (a
   * busy variant, the end of the ledger) are written once per period rather than once per second; a killed process
   * loses at most this much (a stopped one nothing).
   */
  private static final int COMMIT_PERIOD_MS = 3_000;
  /** How long space freed in the file is kept before it is reused; H2's 45 s default made the file grow under load. */
  private static final int RETENTION_MS = 5_000;
  /** The layout this code writes (BSON documents, ordered index keys); a file marked otherwise is refused, not misread. */
  private static final String FORMAT = "stockroom-standin-1";
  private static final String FORMAT_MAP = "stockroom.format";
  private static final long EXPIRY_PERIOD_SECONDS = 60;

  private final MVStore store;
  private final StandInBackend backend;
  private final MongoServer server;
  private final ScheduledExecutorService expiry;

  private StandInStore(MVStore store) {
    this.store = store;
    this.backend = new StandInBackend(store);
    this.server = new MongoServer(backend);
    this.expiry = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "stand-in-ttl");
      thread.setDaemon(true);
      return thread;
    });
    expiry.scheduleWithFixedDelay(this::removeExpired, EXPIRY_PERIOD_SECONDS, EXPIRY_PERIOD_SECONDS, TimeUnit.SECONDS);
  }

  /** A store in the heap, lost on close. */
  public static StandInStore inMemory() {
    return new StandInStore(new MVStore.Builder().open());
  }

  /**
   * The store of {@code directory} (created when missing). Fails with a message that names the directory when it
   * cannot be created or written, or when another process holds its file.
   */
  public static StandInStore inDirectory(Path directory) {
    Path file = directory.resolve(FILE_NAME);
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot create the embedded data directory " + directory.toAbsolutePath() + ": " + e, e);
    }
    if (!Files.isWritable(directory)) {
      throw new IllegalStateException("The embedded data directory " + directory.toAbsolutePath() + " is not writable");
    }
    MVStore store;
    try {
      store = new MVStore.Builder().fileName(file.toString()).cacheSize(CACHE_MB).open();
      store.setAutoCommitDelay(COMMIT_PERIOD_MS);
      store.setRetentionTime(RETENTION_MS);
    } catch (MVStoreException e) {
      throw new IllegalStateException(e.getErrorCode() == DataUtils.ERROR_FILE_LOCKED
        ? "The embedded data file " + file.toAbsolutePath() + " is in use by another process (another Stockroom on "
          + "this directory?): stop it, or give this one its own STOCKROOM_EMBEDDED_DATA_DIR"
        : unreadable(file, e.getMessage()), e);
    }
    try {
      if (store.isReadOnly()) {
        throw new IllegalStateException("The embedded data file " + file.toAbsolutePath() + " is read-only: make it "
          + "writable, or point STOCKROOM_EMBEDDED_DATA_DIR at a directory of your own");
      }
      checkFormat(store, file);
      return new StandInStore(store);
    } catch (RuntimeException e) {
      store.closeImmediately();
      throw e instanceof IllegalStateException ? e : new IllegalStateException(unreadable(file, e.getMessage()), e);
    }
  }

  /** A new file is marked with {@link #FORMAT}; a file with data must already carry it. */
  private static void checkFormat(MVStore store, Path file) {
    MVMap<String, String> format = store.openMap(FORMAT_MAP);
    String found = format.get("format");
    if (FORMAT.equals(found)) return;
    boolean empty = store.getMapNames().stream().allMatch(FORMAT_MAP::equals);
    if (!empty) throw new IllegalStateException(unreadable(file, "its format is " + (found == null ? "unmarked" : found) + ", not " + FORMAT));
    format.put("format", FORMAT);
  }

  private static String unreadable(Path file, String why) {
    return "The embedded data file " + file.toAbsolutePath() + " cannot be read (" + why + "; written by an incompatible "
      + "version, or damaged): stop Stockroom and move the directory away, or delete it to start empty";
  }

  /** Listens on {@code host}:{@code port} (0: a free port) and answers the MongoDB URI. */
  public String bind(String host, int port) {
    server.bind(host, port);
    return "mongodb://" + host + ":" + server.getLocalAddress().getPort();
  }

  /** Where the data is kept, or null in memory. */
  public Path file() {
    return store.getFileStore() == null ? null : Path.of(store.getFileStore().getFileName());
  }

  /** How many queries of this process (every store in it) no index served, each a read of a whole collection. */
  public static long fullScans() {
    return StandInCollection.FULL_SCANS.sum();
  }

  /** One TTL pass now; answers how many documents it removed. */
  public long removeExpired() {
    try {
      long removed = backend.removeExpired();
      if (removed > 0) LOG.debug("Stand-in TTL pass removed {} expired documents", removed);
      return removed;
    } catch (RuntimeException e) {
      LOG.warn("Stand-in TTL pass failed; the next one retries", e);
      return 0;
    }
  }

  /** Stops listening and writes everything to the file. */
  @Override
  public void close() {
    expiry.shutdown();  // not interrupted: an interrupt during a file read closes H2's channel and loses the last writes
    try {
      if (!expiry.awaitTermination(10, TimeUnit.SECONDS)) LOG.warn("A stand-in TTL pass was still running at close");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.shutdownNow();
    if (!store.isClosed()) store.close();
  }
}
