package io.stockroom.platform.contract;

import io.stockroom.platform.security.Digests;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * {@code openapi.yaml} as a JSON document. The build also writes it as JSON ({@link #COMPILED}, with the SHA-256 of
 * the YAML it came from) onto the class path: parsing YAML cost a cold JVM about a tenth of its start. The JSON is used
 * only when it was made from the very YAML being read; otherwise the YAML is parsed.
 */
public final class OpenApiDocument {
  /** Where the contract is read from: the working directory, else the class path. */
  public static final String PATH = "openapi.yaml";
  /** Class-path resource written by the build ({@code tools/ContractJson}). */
  public static final String COMPILED = "openapi.json";

  private OpenApiDocument() {
  }

  /** The contract at {@code path}, read and parsed on a worker. */
  public static Future<JsonObject> read(Vertx vertx, String path) {
    // unordered: the caller's context goes on meanwhile and its other blocking steps do not queue behind this one
    return vertx.executeBlocking(() -> of(vertx.fileSystem().readFileBlocking(path).toString(), compiledResource()), false);
  }

  /** The contract as the build compiles it: the parsed YAML and the SHA-256 of its text. */
  public static JsonObject compile(String yaml) {
    return new JsonObject().put("sha256", Digests.sha256Hex(yaml)).put("document", parse(yaml));
  }

  /** The document in {@code yaml}: from {@code compiled} when that was made from this very text, else parsed. */
  public static JsonObject of(String yaml, JsonObject compiled) {
    if (compiled != null && Digests.sha256Hex(yaml).equals(compiled.getString("sha256"))) return compiled.getJsonObject("document");
    return parse(yaml);
  }

  private static JsonObject parse(String yaml) {
    return new JsonObject(new Yaml(new LoaderOptions()).<Map<String, Object>>load(yaml));
  }

  private static JsonObject compiledResource() throws IOException {
    try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(COMPILED)) {
      return in == null ? null : new JsonObject(Buffer.buffer(in.readAllBytes()));
    }
  }
}
