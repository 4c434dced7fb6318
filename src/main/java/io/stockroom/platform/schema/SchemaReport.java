package io.stockroom.platform.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * What a check or a migration found: what it did, what is still missing (a migration's work), what conflicts with the
 * manifest (a person must decide), and indexes the manifest does not know (left alone).
 */
public final class SchemaReport {
  private final List<String> done = new ArrayList<>();
  private final List<String> pending = new ArrayList<>();
  private final List<String> conflicts = new ArrayList<>();
  private final List<String> unmanaged = new ArrayList<>();

  synchronized void done(String what) {
    done.add(what);
  }

  synchronized void pending(String what) {
    pending.add(what);
  }

  synchronized void conflict(String what) {
    conflicts.add(what);
  }

  synchronized void unmanaged(String what) {
    unmanaged.add(what);
  }

  public synchronized List<String> done() {
    return List.copyOf(done);
  }

  public synchronized List<String> pending() {
    return List.copyOf(pending);
  }

  public synchronized List<String> conflicts() {
    return List.copyOf(conflicts);
  }

  public synchronized List<String> unmanaged() {
    return List.copyOf(unmanaged);
  }

  /** The database matches the manifest: nothing missing, nothing conflicting. */
  public synchronized boolean ready() {
    return pending.isEmpty() && conflicts.isEmpty();
  }
}
