package io.stockroom.platform.unit;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

/**
 * Test-only fault injection. A test arms one of these for the next unit named N of tenant T, and the unit runner
 * acts on it:
 * <ul>
 *   <li>{@link #arm}: the unit fails before step S (0-based);</li>
 *   <li>{@link #armUndoFailure}: together with {@link #arm}, the undo of step U fails on every attempt;</li>
 *   <li>{@link #armUnknownOutcome}: the unit reports an unknown outcome after it committed (or after it was rolled
 *       back), as a lost commit acknowledgement would;</li>
 *   <li>{@link #armPause}: the unit stops for a while just before step S reaches the database, after every check it
 *       makes before writing, as a process pause (a long GC) would;</li>
 *   <li>{@link #armLostAck}: the write of step S reaches the database but its acknowledgement is lost (the unit sees
 *       a timeout);</li>
 *   <li>{@link #armCommitInDoubt}: the answer to the unit's commit mark is lost (the mark landed or not), and the
 *       database stays out of reach while the unit tries to find out, as if its instance were cut off: the unit is
 *       left to recovery;</li>
 *   <li>{@link #armCommitAnswerLost}: the answer to the unit's commit point is lost (it landed or not), and the unit
 *       asks the database what happened, as after a network blip.</li>
 * </ul>
 * All are inert unless the deployment enabled {@code testing.failpoints}, which only an embedding test harness can
 * do (the key is ignored in files, properties and the environment).
 */
public final class Failpoints {
  private static final String MAP = "stockroom.failpoints";

  /**
   * An armed failpoint: the step it acts at (-1 for none), how long a pause lasts, and whether the write or commit
   * it concerns really lands (null for none). Immutable, so it is shared between verticles as it is.
   */
  record Point(int step, long millis, Boolean lands) implements Shareable {
    static Point at(int step) {
      return new Point(step, 0L, null);
    }

    static Point landing(boolean lands) {
      return new Point(-1, 0L, lands);
    }
  }

  private final LocalMap<String, Point> armed;
  private final boolean enabled;

  public Failpoints(Vertx vertx, boolean enabled) {
    this.enabled = enabled;
    this.armed = vertx.sharedData().getLocalMap(MAP);
  }

  /** Arms a one-shot failure before step {@code step} of the next {@code unit} run for {@code tenantId}. */
  public static void arm(Vertx vertx, String unit, String tenantId, int step) {
    map(vertx).put(key("step", unit, tenantId), Point.at(step));
  }

  /** Makes the undo of forward step {@code step} fail on every attempt, in the next failing {@code unit} run. */
  public static void armUndoFailure(Vertx vertx, String unit, String tenantId, int step) {
    map(vertx).put(key("undo", unit, tenantId), Point.at(step));
  }

  /** The next {@code unit} run reports an unknown outcome; {@code committed} says whether it really committed. */
  public static void armUnknownOutcome(Vertx vertx, String unit, String tenantId, boolean committed) {
    map(vertx).put(key("outcome", unit, tenantId), Point.landing(committed));
  }

  /** The next {@code unit} run for {@code tenantId} pauses {@code millis} just before step {@code step} is written. */
  public static void armPause(Vertx vertx, String unit, String tenantId, int step, long millis) {
    map(vertx).put(key("pause", unit, tenantId), new Point(step, millis, null));
  }

  /** In the next {@code unit} run for {@code tenantId}, step {@code step} is written but answers a timeout. */
  public static void armLostAck(Vertx vertx, String unit, String tenantId, int step) {
    map(vertx).put(key("ack", unit, tenantId), Point.at(step));
  }

  /** The next {@code unit} run's commit mark answer is lost; {@code landed} says whether the mark was written. */
  public static void armCommitInDoubt(Vertx vertx, String unit, String tenantId, boolean landed) {
    map(vertx).put(key("commit", unit, tenantId), Point.landing(landed));
  }

  /** The next {@code unit} run's commit point answer is lost; {@code landed} says whether it was written. */
  public static void armCommitAnswerLost(Vertx vertx, String unit, String tenantId, boolean landed) {
    map(vertx).put(key("commitAnswer", unit, tenantId), Point.landing(landed));
  }

  /** Whether a step failure armed for {@code unit} is still waiting for its unit (for background units). */
  public static boolean isArmed(Vertx vertx, String unit, String tenantId) {
    return map(vertx).get(key("step", unit, tenantId)) != null;
  }

  public static void disarm(Vertx vertx, String unit, String tenantId) {
    for (String kind : new String[] {"step", "undo", "outcome", "pause", "ack", "commit", "commitAnswer"}) map(vertx).remove(key(kind, unit, tenantId));
  }

  /** Throws {@link InjectedFailure} when this step of this unit is armed (and then disarms it). */
  void check(String unit, String tenantId, int step) {
    if (!enabled) return;
    String key = key("step", unit, tenantId);
    Point point = armed.get(key);
    if (point != null && point.step() == step && armed.remove(key, point)) {
      throw new InjectedFailure(unit + " failed before step " + step + " (failpoint)");
    }
  }

  /** The forward step whose undo must fail in this run, or -1 (taken once, at the start of a unit). */
  int takeUndoFailure(String unit, String tenantId) {
    if (!enabled) return -1;
    Point point = armed.remove(key("undo", unit, tenantId));
    return point == null ? -1 : point.step();
  }

  /** null, or whether the armed unknown outcome is one that committed (taken once, at the start of a unit). */
  Boolean takeUnknownOutcome(String unit, String tenantId) {
    if (!enabled) return null;
    Point point = armed.remove(key("outcome", unit, tenantId));
    return point == null ? null : point.lands();
  }

  /** The armed pause {step, millis}, or null (taken once, at the start of a unit). */
  Point takePause(String unit, String tenantId) {
    return enabled ? armed.remove(key("pause", unit, tenantId)) : null;
  }

  /** The step whose acknowledgement is lost in this run, or -1 (taken once, at the start of a unit). */
  int takeLostAck(String unit, String tenantId) {
    if (!enabled) return -1;
    Point point = armed.remove(key("ack", unit, tenantId));
    return point == null ? -1 : point.step();
  }

  /** null, or whether the armed commit mark lands (taken once, at the start of a unit). */
  Boolean takeCommitInDoubt(String unit, String tenantId) {
    if (!enabled) return null;
    Point point = armed.remove(key("commit", unit, tenantId));
    return point == null ? null : point.lands();
  }

  /** null, or whether the commit point whose answer is lost lands (taken once, at the start of a unit). */
  Boolean takeCommitAnswerLost(String unit, String tenantId) {
    if (!enabled) return null;
    Point point = armed.remove(key("commitAnswer", unit, tenantId));
    return point == null ? null : point.lands();
  }

  private static LocalMap<String, Point> map(Vertx vertx) {
    return vertx.sharedData().getLocalMap(MAP);
  }

  private static String key(String kind, String unit, String tenantId) {
    return kind + "|" + unit + "|" + tenantId;
  }

  public static final class InjectedFailure extends RuntimeException {
    InjectedFailure(String message) {
      super(message, null, false, false);
    }
  }
}
