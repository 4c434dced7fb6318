package io.stockroom.api;

import io.stockroom.platform.security.Digests;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * Loads {@code openapi.yaml} for the router. vertx-openapi 5.0 refuses response media types outside a fixed list
 * (e.g. {@code application/problem+json}, {@code application/yaml}) even though it never validates responses; the
 * published document keeps the true types and only the router's in-memory copy lists them as application/json.
 *
 * <p>The build also writes the contract as JSON ({@link #COMPILED}, with the SHA-256 of the YAML it came from) onto the
 * class path: parsing YAML cost a cold JVM about a tenth of its start. The JSON is used only when it was made from
 * the very YAML being loaded; otherwise the YAML is parsed.
 */
public final class ContractLoader {
  /** Class-path resource written by the build ({@code tools/ContractJson}). */
  public static final String COMPILED = "openapi.json";

  private ContractLoader() {
  }

  public static Future<OpenAPIContract> load(Vertx vertx, String path) {
    // a worker, unordered: the start goes on meanwhile and the context's other blocking steps do not queue behind it
    return vertx.executeBlocking(() -> withRouterMediaTypes(document(vertx.fileSystem().readFileBlocking(path).toString(),
        compiledResource())), false)
      .compose(document -> OpenAPIContract.from(vertx, document))
      .map(CachedValidators::new);
  }

  /** The contract as the build compiles it: the parsed YAML and the SHA-256 of its text. */
  public static JsonObject compile(String yaml) {
    return new JsonObject().put("sha256", Digests.sha256Hex(yaml)).put("document", parse(yaml));
  }

  /** The document in {@code yaml}: from {@code compiled} when that was made from this very text, else parsed. */
  static JsonObject document(String yaml, JsonObject compiled) {
    if (compiled != null && Digests.sha256Hex(yaml).equals(compiled.getString("sha256"))) return compiled.getJsonObject("document");
    return parse(yaml);
  }

  private static JsonObject parse(String yaml) {
    return new JsonObject(new Yaml(new LoaderOptions()).<Map<String, Object>>load(yaml));
  }

  private static JsonObject compiledResource() throws IOException {
    try (InputStream in = ContractLoader.class.getClassLoader().getResourceAsStream(COMPILED)) {
      return in == null ? null : new JsonObject(Buffer.buffer(in.readAllBytes()));
    }
  }

  static JsonObject withRouterMediaTypes(JsonObject document) {
    JsonObject copy = document.copy();
    // a request body of a type the router cannot validate (an import's text/csv) is checked by its handler instead
    copy.getJsonObject("paths").forEach(path -> ((JsonObject) path.getValue()).forEach(operation -> {
      if (operation.getValue() instanceof JsonObject op && op.getJsonObject("requestBody") != null
        && op.getJsonObject("requestBody").getJsonObject("content", new JsonObject()).fieldNames().stream()
          .noneMatch(media -> media.startsWith("application/json"))) {
        op.remove("requestBody");
      }
    }));
    JsonObject sharedResponses = copy.getJsonObject("components", new JsonObject()).getJsonObject("responses", new JsonObject());
    sharedResponses.forEach(e -> normalise((JsonObject) e.getValue()));
    copy.getJsonObject("paths").forEach(path -> ((JsonObject) path.getValue()).forEach(operation -> {
      if (operation.getValue() instanceof JsonObject op && op.containsKey("responses")) {
        op.getJsonObject("responses").forEach(response -> normalise((JsonObject) response.getValue()));
      }
    }));
    return copy;
  }

  private static void normalise(JsonObject response) {
    JsonObject content = response.getJsonObject("content");
    if (content == null) return;
    JsonObject rewritten = new JsonObject();
    content.forEach(media -> rewritten.put(media.getKey().startsWith("application/json") ? media.getKey() : "application/json",
      media.getValue()));
    response.put("content", rewritten);
  }
}
