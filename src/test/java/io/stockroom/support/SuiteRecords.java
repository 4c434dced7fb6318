package io.stockroom.support;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import java.nio.file.Path;

/**
 * What each test JVM leaves for the checks that run after the whole suite (pom.xml: the after-suite execution), since
 * the suite runs in several JVMs at once: the query shapes its service sent ({@link QueryShapes}) and the largest
 * stored document per collection of its stack ({@link StoredDocuments}), in {@value #DIRECTORY_PROPERTY}. Recording
 * starts before the JVM's first test class and the records are closed after its last (a JUnit launcher session,
 * registered in META-INF/services).
 */
public final class SuiteRecords implements LauncherSessionListener {
  /** Where the records go; unset: nothing is written. */
  public static final String DIRECTORY_PROPERTY = "stockroom.test.recordsDir";
  /** Set in the execution after the suite: its checks then require the other JVMs' records. */
  public static final String AFTER_SUITE_PROPERTY = "stockroom.test.afterSuite";

  public static Path directory() {
    String directory = System.getProperty(DIRECTORY_PROPERTY);
    return directory == null ? null : Path.of(directory);
  }

  public static boolean afterSuite() {
    return Boolean.getBoolean(AFTER_SUITE_PROPERTY);
  }

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    QueryShapes.record();
  }

  @Override
  public void launcherSessionClosed(LauncherSession session) {
    Path directory = directory();
    // the JVM after the suite reads the records; its own would have no reader
    if (directory == null || afterSuite()) return;
    try {
      TestStack stack = TestStack.started();
      if (stack != null) StoredDocuments.record(stack.mongo, directory);
    } finally {
      // a JVM whose shapes end without this line failed to close them, and the checks after the suite say so
      QueryShapes.finish(directory);
    }
  }
}
