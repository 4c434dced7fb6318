package io.stockroom;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import io.stockroom.platform.bus.RequestIds;
import io.stockroom.support.Eventually;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped logback.xml: with STOCKROOM_LOG_FORMAT=json one valid JSON object per event, whatever the text; and lines
 * reach the console through a queue, so a stalled console never stalls the thread that logs.
 */
class LogFormatTest {

  @Test
  @DisplayName("JSON log lines stay one valid JSON object when messages and errors hold quotes, backslashes, newlines and tabs")
  void jsonLinesAreValid() throws Exception {
    String message = "Members {size:2} [\n\tMember \"a\" C:\\data\\x\r\n]";
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    LoggerContext context = new LoggerContext();
    try {
      configure(context, "json");
      org.slf4j.Logger log = context.getLogger("test.json");
      log.info(message);
      log.warn("failed \"badly\"", new IllegalStateException("cause with \\ and \"quotes\"\nsecond line"));
    } finally {
      context.stop();  // writes out the queue, to the captured stream
      System.setOut(original);
    }

    // System.out is shared: lines of servers still running from other test classes may land here too.
    // An event split by a raw newline would leave a fragment holding the logger name that does not parse below.
    List<String> all = captured.toString(StandardCharsets.UTF_8).lines().toList();
    List<String> lines = all.stream().filter(line -> line.contains("\"logger\":\"test.json\"")).toList();
    assertEquals(2, lines.size(), () -> "one line per event: " + all);
    JsonObject info = new JsonObject(lines.get(0));
    assertEquals(message, info.getString("msg"));
    assertEquals("INFO", info.getString("level"));
    JsonObject warn = new JsonObject(lines.get(1));
    assertEquals("failed \"badly\"", warn.getString("msg"));
    assertTrue(warn.getString("error").startsWith("java.lang.IllegalStateException: cause with \\ and \"quotes\"\nsecond line"),
      warn::encode);
  }

  @Test
  @DisplayName("a console that stops taking lines does not stop a request's event loop; its lines, with their request id, follow once it moves")
  void stalledConsoleDoesNotStallTheEventLoop() throws Exception {
    CountDownLatch consoleMoves = new CountDownLatch(1);
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    OutputStream stalled = new OutputStream() {
      @Override
      public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] bytes, int offset, int length) {
        try {
          consoleMoves.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        synchronized (captured) {
          captured.write(bytes, offset, length);
        }
      }
    };
    PrintStream original = System.out;
    System.setOut(new PrintStream(stalled, true, StandardCharsets.UTF_8));
    LoggerContext context = new LoggerContext();
    Vertx vertx = Vertx.vertx();
    try {
      configure(context, "text");
      org.slf4j.Logger log = context.getLogger("test.queued");
      CompletableFuture<Void> logged = new CompletableFuture<>();
      ((ContextInternal) vertx.getOrCreateContext()).duplicate().runOnContext(v -> {  // as a request's handler runs
        RequestIds.bind("req-stalled-42");
        for (int i = 0; i < 100; i++) log.info("line {} of a request", i);
        logged.complete(null);
      });
      // Written straight to the console, the first line would wait for it forever.
      logged.get(10, TimeUnit.SECONDS);

      consoleMoves.countDown();
      Eventually.holds(Duration.ofSeconds(5), () -> text(captured).contains("line 99 of a request"));
      List<String> lines = text(captured).lines().filter(line -> line.contains("logger=test.queued")).toList();
      assertEquals(100, lines.size(), () -> "every line arrived: " + lines);
      for (int i = 0; i < 100; i++) {
        assertTrue(lines.get(i).contains("request=req-stalled-42 ") && lines.get(i).contains("line " + i + " of a request"), lines.get(i));
      }
    } finally {
      consoleMoves.countDown();
      context.stop();
      System.setOut(original);
      vertx.close().await();
    }
  }

  private void configure(LoggerContext context, String format) throws Exception {
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    context.putProperty("STOCKROOM_LOG_FORMAT", format);
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(getClass().getResource("/logback.xml"));
  }

  private static String text(ByteArrayOutputStream captured) {
    synchronized (captured) {
      return captured.toString(StandardCharsets.UTF_8);
    }
  }
}
