package io.stockroom;

import io.stockroom.platform.config.ConfigKey;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Renders every kustomize overlay in {@code k8s/} offline with {@code kubectl kustomize} and checks the manifests
 * against the code: the container ports are the configured ones, the probes hit routes of openapi.yaml, every
 * STOCKROOM_* variable is a real configuration key, and the image is the one the Jib build produces.
 */
class DeploymentManifestsTest {
  private static final List<String> OVERLAYS = List.of("k8s/overlays/production", "k8s/overlays/local");

  private static List<Map<String, Object>> render(String overlay) throws Exception {
    Process process = new ProcessBuilder("kubectl", "kustomize", overlay).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize timed out");
    assertEquals(0, process.exitValue(), () -> "kubectl kustomize " + overlay + ":\n" + output);
    List<Map<String, Object>> documents = new ArrayList<>();
    for (Object document : new Yaml(new LoaderOptions()).loadAll(output)) {
      if (document != null) documents.add(cast(document));
    }
    return documents;
  }

  @Test
  @DisplayName("the image runs with the JVM flags of conf/jvm.options (the run command's argfile), less the jar's class-data archive")
  void imageUsesTheJvmOptions() throws Exception {
    List<String> options = Files.readAllLines(Path.of("conf/jvm.options")).stream()
      .map(String::trim).filter(line -> !line.isEmpty() && !line.startsWith("#"))
      .filter(line -> !line.startsWith("-XX:SharedArchiveFile="))
      .flatMap(line -> java.util.Arrays.stream(line.split("\\s+"))).toList();
    String pom = Files.readString(Path.of("pom.xml"));
    Matcher flag = Pattern.compile("<jvmFlag>([^<]*)</jvmFlag>").matcher(pom);
    List<String> image = new ArrayList<>();
    while (flag.find()) image.add(flag.group(1));
    assertEquals(options, image);
    assertTrue(options.stream().anyMatch(o -> o.startsWith("-Xmx")), "the heap is bounded");
  }

  @Test
  @DisplayName("every overlay renders, and its Deployment matches the code: ports, probes, configuration keys, image")
  void manifestsMatchTheCode() throws Exception {
    boolean required = "1".equals(System.getenv("STOCKROOM_REQUIRE_E2E"));
    boolean available = Files.isExecutable(Path.of("/usr/bin/kubectl")) || Files.isExecutable(Path.of("/usr/local/bin/kubectl"));
    if (required) assertTrue(available, "kubectl is needed to render k8s/");
    else assumeTrue(available, "skipped: no kubectl");
    Set<String> keys = new HashSet<>();
    for (ConfigKey key : ConfigKey.values()) if (!key.explicitOnly()) keys.add(key.envName());
    String contract = Files.readString(Path.of("openapi.yaml"));
    String image = expectedImage();
    for (String overlay : OVERLAYS) {
      List<Map<String, Object>> documents = render(overlay);
      Map<String, Object> deployment = only(documents, "Deployment", "stockroom");
      Map<String, Object> pod = cast(cast(cast(deployment.get("spec")).get("template")).get("spec"));
      Map<String, Object> container = cast(((List<?>) pod.get("containers")).get(0));
      assertEquals(image, container.get("image"), overlay);
      Set<Integer> ports = new HashSet<>();
      for (Object port : (List<?>) container.get("ports")) ports.add((Integer) cast(port).get("containerPort"));
      Map<String, Object> config = cast(only(documents, "ConfigMap", "stockroom-config").get("data"));
      assertEquals(Set.of(Integer.parseInt((String) config.get("STOCKROOM_HTTP_PORT")),
        Integer.parseInt((String) config.get("STOCKROOM_CLUSTER_PORT")),
        Integer.parseInt((String) config.get("STOCKROOM_CLUSTER_EVENT_BUS_PORT"))), ports, overlay);
      for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
        String path = (String) cast(cast(container.get(probe)).get("httpGet")).get("path");
        assertTrue(contract.contains("\n  " + path + ":"), overlay + " " + probe + " " + path + " is not a route of openapi.yaml");
      }
      Set<String> names = new HashSet<>(config.keySet());
      names.addAll(cast(only(documents, "Secret", "stockroom-secrets").get("stringData")).keySet());
      for (Object env : (List<?>) container.get("env")) names.add((String) cast(env).get("name"));
      for (String name : names) assertTrue(keys.contains(name), overlay + ": " + name + " is not a configuration key");
      assertEquals(true, cast(cast(only(documents, "Service", "stockroom-hazelcast").get("spec"))).get("publishNotReadyAddresses"));
      assertEquals("stockroom-hazelcast", config.get("STOCKROOM_CLUSTER_KUBERNETES_SERVICE_DNS"));
    }
  }

  private static String expectedImage() throws Exception {
    String pom = Files.readString(Path.of("pom.xml"));
    Matcher name = Pattern.compile("<image\\.name>([^<]+)</image\\.name>").matcher(pom);
    Matcher version = Pattern.compile("<artifactId>stockroom</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
    assertTrue(name.find() && version.find(), "pom.xml names the image and version");
    assertTrue(pom.contains("<to><image>${image.name}:${project.version}</image></to>"), "Jib builds ${image.name}:${project.version}");
    return name.group(1) + ":" + version.group(1);
  }

  private static Map<String, Object> only(List<Map<String, Object>> documents, String kind, String name) {
    List<Map<String, Object>> found = documents.stream()
      .filter(d -> kind.equals(d.get("kind")) && name.equals(cast(d.get("metadata")).get("name"))).toList();
    assertEquals(1, found.size(), kind + " " + name);
    return found.get(0);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Object value) {
    return (Map<String, Object>) value;
  }
}
