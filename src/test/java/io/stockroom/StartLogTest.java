package io.stockroom;

import io.stockroom.support.LogCapture;
import io.stockroom.support.TestStack;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StartLogTest {

  @Test
  @DisplayName("a start with metrics on writes no Micrometer warning about gauges Vert.x registers more than once by design")
  void noGaugeWarningsAtStart() {
    TestStack stack = TestStack.get();
    assertEquals(200, stack.api.get("/metrics", null).status(), "metrics are on and served");
    assertTrue(LogCapture.size() > 0, "the capture sees the start");
    assertEquals(List.of(), LogCapture.linesContaining("has been already registered"));
  }
}
