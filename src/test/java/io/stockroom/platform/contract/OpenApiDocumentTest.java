package io.stockroom.platform.contract;

import io.stockroom.platform.security.Digests;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenApiDocumentTest {

  @Test
  @DisplayName("the build's compiled contract on the class path is openapi.yaml as it stands, parsed")
  void compiledContractMatchesTheYaml() throws Exception {
    String yaml = Files.readString(Path.of(OpenApiDocument.PATH), StandardCharsets.UTF_8);
    JsonObject compiled;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(OpenApiDocument.COMPILED)) {
      assertNotNull(in, "the build writes " + OpenApiDocument.COMPILED + " at process-classes");
      compiled = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    JsonObject parsed = new JsonObject(new Yaml(new LoaderOptions()).<Map<String, Object>>load(yaml));
    assertEquals(Digests.sha256Hex(yaml), compiled.getString("sha256"), "compiled from the YAML as it stands");
    assertTrue(parsed.equals(OpenApiDocument.of(yaml, compiled)), "the compiled document is the parsed YAML");
  }

  @Test
  @DisplayName("a compiled contract is used only for the YAML it was made from; for any other the YAML is parsed")
  void compiledContractOnlyForItsOwnYaml() {
    String before = "openapi: 3.1.0\ninfo:\n  title: before\n  version: '1'\npaths: {}\n";
    String after = before.replace("before", "after");
    JsonObject compiled = OpenApiDocument.compile(before);
    compiled.getJsonObject("document").getJsonObject("info").put("title", "from the compiled copy");
    assertEquals("from the compiled copy", OpenApiDocument.of(before, compiled).getJsonObject("info").getString("title"));
    assertEquals("after", OpenApiDocument.of(after, compiled).getJsonObject("info").getString("title"));
    assertEquals("after", OpenApiDocument.of(after, null).getJsonObject("info").getString("title"));
  }
}
