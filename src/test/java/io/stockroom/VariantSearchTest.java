package io.stockroom;

import io.stockroom.support.Api;
import io.stockroom.support.Res;
import io.stockroom.support.Session;
import io.stockroom.support.TestStack;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.stockroom.support.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the console needs of the variant list and the ledger: search ({@code q}), incremental sync ({@code updatedAfter}), newest-first history. */
class VariantSearchTest {
  private final TestStack stack = TestStack.get();
  private final Api api = stack.api;

  private List<String> skus(Session s, String query) {
    Res res = api.get("/api/v1/variants?" + query, s.token());
    assertEquals(200, res.status(), res::toString);
    List<String> skus = new ArrayList<>();
    res.items().forEach(v -> skus.add(((JsonObject) v).getString("sku")));
    return skus;
  }

  private static String enc(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("q finds variants by SKU prefix and by a prefix of the product's name or of one of its words, case-insensitive, "
    + "only in the caller's tenant, paged; a renamed product is found by its new name")
  void search() {
    Session a = api.signup("Search A");
    Session b = api.signup("Search B");
    String mugs = api.createProduct(a, "Enamel Camping Mug");
    String shirts = api.createProduct(a, "Linen Shirt");
    api.createVariant(a, mugs, "MUG-RED", 900);
    api.createVariant(a, mugs, "MUG-BLUE", 900);
    api.createVariant(a, shirts, "SH-LIN-M", 3900);
    api.createVariant(a, shirts, "SH-LIN-L", 3900);
    api.createVariant(b, api.createProduct(b, "Enamel Mug"), "MUG-B", 900);

    assertEquals(List.of("MUG-RED", "MUG-BLUE"), skus(a, "q=mug-"));
    assertEquals(List.of("MUG-BLUE"), skus(a, "q=" + enc("Mug-Bl")));
    assertEquals(List.of("MUG-RED", "MUG-BLUE"), skus(a, "q=camp"), "a word of the product's name");
    assertEquals(List.of("MUG-RED", "MUG-BLUE"), skus(a, "q=ENAMEL"), "the name's start, any case");
    assertEquals(List.of("SH-LIN-M", "SH-LIN-L"), skus(a, "q=" + enc("linen sh")), "the name's start across words");
    assertEquals(List.of("SH-LIN-M", "SH-LIN-L"), skus(a, "q=sh"), "SKU prefix and name word together, once each");
    assertEquals(List.of(), skus(a, "q=mug-b-"), "no variant of tenant B");
    assertEquals(List.of(), skus(a, "q=ug"), "prefixes only");

    Res first = api.get("/api/v1/variants?q=mug&limit=1", a.token());
    assertEquals(List.of("MUG-RED"), List.of(first.items().getJsonObject(0).getString("sku")));
    String cursor = first.json().getString("nextCursor");
    assertNotNull(cursor);
    assertEquals(List.of("MUG-BLUE"), skus(a, "q=mug&limit=1&cursor=" + cursor));

    assertEquals(200, api.patch("/api/v1/products/" + mugs, a.token(), new JsonObject().put("name", "Steel Cup")).status());
    assertEquals(List.of("MUG-RED", "MUG-BLUE"), skus(a, "q=cup"));
    assertEquals(List.of(), skus(a, "q=camp"), "the old name no longer matches");
    String red = api.get("/api/v1/variants?sku=MUG-RED", a.token()).items().getJsonObject(0).getString("id");
    assertEquals(200, api.patch("/api/v1/variants/" + red, a.token(), new JsonObject().put("sku", "CUP-RED")).status());
    assertEquals(List.of("CUP-RED"), skus(a, "q=cup-"), "a new SKU is found by its prefixes");

    assertProblem(api.get("/api/v1/variants?q=mug&lowStock=true", a.token()), 400);
    assertProblem(api.get("/api/v1/variants?q=", a.token()), 400);
    assertProblem(api.get("/api/v1/variants?q=" + "x".repeat(65), a.token()), 400);
  }

  @Test
  @DisplayName("updatedAfter lists the variants whose visible fields or stock changed after the instant, oldest change first, "
    + "paged without repeats or gaps; a bad instant or cursor is a 400")
  void updatedAfter() {
    Session s = api.signup("Sync Co");
    String product = api.createProduct(s, "Sync");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) ids.add(api.createVariant(s, product, "SYNC-" + i, 100, 10).getString("id"));
    Res all = api.get("/api/v1/variants?updatedAfter=" + enc("2000-01-01T00:00:00Z"), s.token());
    assertEquals(200, all.status(), all::toString);
    assertEquals(5, all.items().size());
    Instant mark = Instant.parse(all.items().getJsonObject(4).getString("updatedAt"));
    assertTrue(mark.isAfter(Instant.now().minusSeconds(60)), "new variants carry an updatedAt");

    stack.vertx.timer(5, java.util.concurrent.TimeUnit.MILLISECONDS).await();  // past the mark's millisecond
    api.placeOrder(s, Api.order(ids.get(3), 1));
    assertEquals(200, api.patch("/api/v1/variants/" + ids.get(1), s.token(), new JsonObject().put("price", 150)).status());
    Res adjusted = api.send(HttpMethod.POST, "/api/v1/variants/" + ids.get(0) + "/adjustments", s.token(),
      new JsonObject().put("quantity", 2).put("reason", "found"), Api.newKey()).await();
    assertEquals(201, adjusted.status(), adjusted::toString);

    List<String> changed = new ArrayList<>();
    String cursor = null;
    do {
      Res page = api.get("/api/v1/variants?limit=1&updatedAfter=" + enc(mark.toString()) + (cursor == null ? "" : "&cursor=" + cursor), s.token());
      assertEquals(200, page.status(), page::toString);
      page.items().forEach(v -> changed.add(((JsonObject) v).getString("sku")));
      cursor = page.json().getString("nextCursor");
    } while (cursor != null);
    assertEquals(List.of("SYNC-3", "SYNC-1", "SYNC-0"), changed, "a sale, a price change and an adjustment, in the order they happened");
    JsonObject sold = api.get("/api/v1/variants/" + ids.get(3), s.token()).json();
    assertEquals(9, sold.getLong("stock"));

    assertProblem(api.get("/api/v1/variants?updatedAfter=yesterday", s.token()), 400);
    assertProblem(api.get("/api/v1/variants?updatedAfter=" + enc(mark.toString()) + "&cursor=bm9wZQ", s.token()), 400);
    // a forged cursor whose instant no API answer can hold is the same 400, naming the parameter
    String forged = java.util.Base64.getUrlEncoder().withoutPadding()
      .encodeToString(("+999999999-12-31T23:59:59.999Z|" + "a".repeat(24)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    JsonObject badCursor = assertProblem(api.get("/api/v1/variants?updatedAfter=" + enc(mark.toString()) + "&cursor=" + forged, s.token()), 400);
    assertEquals("cursor", badCursor.getJsonArray("errors").getJsonObject(0).getString("parameter"), badCursor::encode);
    JsonObject badInstant = assertProblem(api.get("/api/v1/variants?updatedAfter=yesterday", s.token()), 400);
    assertEquals("updatedAfter", badInstant.getJsonArray("errors").getJsonObject(0).getString("parameter"), badInstant::encode);
    assertProblem(api.get("/api/v1/variants?updatedAfter=" + enc(mark.toString()) + "&productId=" + product, s.token()), 400);
  }

  @Test
  @DisplayName("order=desc lists a variant's movements newest first, paged in that order; asc stays the default")
  void historyNewestFirst() {
    Session s = api.signup("History Co");
    String product = api.createProduct(s, "History");
    String v = api.createVariant(s, product, "HIST-1", 100, 10).getString("id");
    for (int quantity : new int[] {1, 2, 3}) {
      Res res = api.send(HttpMethod.POST, "/api/v1/variants/" + v + "/adjustments", s.token(),
        new JsonObject().put("quantity", quantity).put("reason", "r" + quantity), Api.newKey()).await();
      assertEquals(201, res.status(), res::toString);
    }
    List<Long> newest = new ArrayList<>();
    String cursor = null;
    do {
      Res page = api.get("/api/v1/stock-movements?variantId=" + v + "&order=desc&limit=3" + (cursor == null ? "" : "&cursor=" + cursor), s.token());
      assertEquals(200, page.status(), page::toString);
      page.items().forEach(m -> newest.add(((JsonObject) m).getLong("stockAfter")));
      cursor = page.json().getString("nextCursor");
    } while (cursor != null);
    assertEquals(List.of(16L, 13L, 11L, 10L), newest);
    List<Long> oldest = new ArrayList<>();
    api.get("/api/v1/stock-movements?variantId=" + v, s.token()).items().forEach(m -> oldest.add(((JsonObject) m).getLong("stockAfter")));
    assertEquals(List.of(10L, 11L, 13L, 16L), oldest);
    assertProblem(api.get("/api/v1/stock-movements?variantId=" + v + "&order=sideways", s.token()), 400);
  }
}
