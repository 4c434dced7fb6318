package io.stockroom;

import io.stockroom.support.StoredDocuments;
import io.stockroom.support.SuiteRecords;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * No document the whole suite stored reaches 1 MB (docs/documents.md): each test JVM scanned its stack's database when
 * its last test class ended (support/SuiteRecords); this reads those scans, after the suite (pom.xml: after-suite).
 */
@Order(Integer.MAX_VALUE - 1)
class StoredDocumentsTest {

  @Test
  @DisplayName("after the suite: no document any test JVM stored reaches 1 MB")
  void noStoredDocumentReachesTheBound() {
    assumeTrue(SuiteRecords.afterSuite(), "reads what the suite's JVMs stored: runs after the suite (pom.xml: after-suite)");
    List<StoredDocuments.Scan> scans = StoredDocuments.recorded(SuiteRecords.directory());
    assertFalse(scans.isEmpty(), "no test JVM left a scan of its documents in " + SuiteRecords.directory());
    Map<String, Integer> largest = new TreeMap<>();
    List<String> over = new ArrayList<>();
    for (StoredDocuments.Scan scan : scans) {
      scan.largest().forEach((collection, size) -> largest.merge(collection, size, Math::max));
      over.addAll(scan.over());
    }
    System.out.println("Largest document per collection over " + scans.size() + " test JVMs (bytes): " + largest);
    assertTrue(largest.containsKey("variants") && largest.containsKey("stock_movements"), "the scans saw the suite's data: " + largest);
    assertTrue(over.isEmpty(), () -> "documents of 1 MB or more: " + over);
  }
}
