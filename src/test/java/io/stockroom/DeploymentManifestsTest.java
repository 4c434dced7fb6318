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
 * against the code: the container ports are the configured ones, the probes and the Prometheus scrape use the
 * management port, the NetworkPolicy admits each port only from whom it should, every STOCKROOM_* variable is a real
 * configuration key, the image is the one the Jib build produces, and production migrates before it serves.
 */
class DeploymentManifestsTest {
  private static final List<String> OVERLAYS = List.of("k8s/overlays/production", "k8s/overlays/local");
  private static final String PRODUCTION_SECRET_TEMPLATE = "k8s/overlays/production/secrets/stockroom.env.example";
  /**
   * Keys the branch redis-topologies adds (Redis Sentinel/Cluster) that the production overlay already sets. Remove
   * this set once that branch is merged: from then on they are checked like every other key.
   */
  private static final Map<String, Object> MONITORING_NAMESPACE =
    Map.of("namespaceSelector", Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", "monitoring")));
  private static final Map<String, Object> STOCKROOM_PODS = Map.of("podSelector", Map.of("matchLabels", Map.of("app", "stockroom")));

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

  private static void requireKubectl() {
    boolean required = "1".equals(System.getenv("STOCKROOM_REQUIRE_E2E"));
    boolean available = Files.isExecutable(Path.of("/usr/bin/kubectl")) || Files.isExecutable(Path.of("/usr/local/bin/kubectl"));
    if (required) assertTrue(available, "kubectl is needed to render k8s/");
    else assumeTrue(available, "skipped: no kubectl");
  }

  @Test
  @DisplayName("every overlay renders, and its Deployment matches the code: ports, probes, configuration keys, image")
  void manifestsMatchTheCode() throws Exception {
    requireKubectl();
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
        Integer.parseInt((String) config.get("STOCKROOM_MANAGEMENT_PORT")),
        Integer.parseInt((String) config.get("STOCKROOM_CLUSTER_PORT")),
        Integer.parseInt((String) config.get("STOCKROOM_CLUSTER_EVENT_BUS_PORT"))), ports, overlay);
      for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
        String path = (String) cast(cast(container.get(probe)).get("httpGet")).get("path");
        assertTrue(contract.contains("\n  " + path + ":"), overlay + " " + probe + " " + path + " is not a route of openapi.yaml");
      }
      Set<String> names = new HashSet<>(config.keySet());
      names.addAll(secretKeys(overlay, documents));
      for (Object env : (List<?>) container.get("env")) names.add((String) cast(env).get("name"));
      for (String name : names) {
        assertTrue(keys.contains(name), overlay + ": " + name + " is not a configuration key");
      }
      assertEquals(true, cast(cast(only(documents, "Service", "stockroom-hazelcast").get("spec"))).get("publishNotReadyAddresses"));
      assertEquals("stockroom-hazelcast", config.get("STOCKROOM_CLUSTER_KUBERNETES_SERVICE_DNS"));
    }
  }

  @Test
  @DisplayName("probes and the Prometheus scrape use the management port, which the API Service never exposes and the "
    + "NetworkPolicy opens only to the monitoring namespace; Hazelcast ports only between Stockroom pods")
  void managementPortIsSeparate() throws Exception {
    requireKubectl();
    for (String overlay : OVERLAYS) {
      List<Map<String, Object>> documents = render(overlay);
      Map<String, Object> config = cast(only(documents, "ConfigMap", "stockroom-config").get("data"));
      int http = Integer.parseInt((String) config.get("STOCKROOM_HTTP_PORT"));
      int management = Integer.parseInt((String) config.get("STOCKROOM_MANAGEMENT_PORT"));
      Set<Integer> hazelcast = Set.of(Integer.parseInt((String) config.get("STOCKROOM_CLUSTER_PORT")),
        Integer.parseInt((String) config.get("STOCKROOM_CLUSTER_EVENT_BUS_PORT")));
      Map<String, Object> template = cast(cast(only(documents, "Deployment", "stockroom").get("spec")).get("template"));
      Map<String, Object> container = cast(((List<?>) cast(template.get("spec")).get("containers")).get(0));
      Map<String, Integer> namedPorts = new java.util.HashMap<>();
      for (Object port : (List<?>) container.get("ports")) namedPorts.put((String) cast(port).get("name"), (Integer) cast(port).get("containerPort"));
      assertEquals(management, namedPorts.get("management"), overlay);
      assertEquals(http, namedPorts.get("http"), overlay);
      for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
        assertEquals("management", cast(cast(container.get(probe)).get("httpGet")).get("port"), overlay + " " + probe);
      }
      assertEquals("/health/ready", cast(cast(container.get("readinessProbe")).get("httpGet")).get("path"), overlay);

      Map<String, Object> annotations = cast(cast(template.get("metadata")).get("annotations"));
      assertEquals("true", annotations.get("prometheus.io/scrape"), overlay);
      assertEquals(String.valueOf(management), annotations.get("prometheus.io/port"), overlay);
      assertEquals("/metrics", annotations.get("prometheus.io/path"), overlay);

      assertEquals(List.of("http"), servicePorts(only(documents, "Service", "stockroom")), overlay + ": the API Service exposes only the API");
      assertEquals(List.of("management"), servicePorts(only(documents, "Service", "stockroom-management")), overlay);

      Map<String, Object> policy = cast(only(documents, "NetworkPolicy", "stockroom").get("spec"));
      assertEquals(Map.of("matchLabels", Map.of("app", "stockroom")), policy.get("podSelector"), overlay);
      Set<Integer> admitted = new HashSet<>();
      for (Object raw : (List<?>) policy.get("ingress")) {
        Map<String, Object> rule = cast(raw);
        List<?> from = (List<?>) rule.get("from");
        assertTrue(rule.get("ports") != null, overlay + ": a NetworkPolicy rule without ports admits every port: " + rule);
        for (Object p : (List<?>) rule.get("ports")) {
          int port = (Integer) cast(p).get("port");
          admitted.add(port);
          if (port == management) assertEquals(List.of(MONITORING_NAMESPACE), from, overlay + ": who may reach the management port");
          else if (hazelcast.contains(port)) assertEquals(List.of(STOCKROOM_PODS), from, overlay + ": who may reach port " + port);
          else assertEquals(http, port, overlay + ": port " + port + " is admitted but is none of Stockroom's");
        }
      }
      Set<Integer> expected = new HashSet<>(hazelcast);
      expected.addAll(Set.of(http, management));
      assertEquals(expected, admitted, overlay);
    }
  }

  @Test
  @DisplayName("production runs the schema migration first: an init container with the service's image, configuration, "
    + "Secret and mounts, and the argument migrate that reaches Main through the image's entrypoint")
  void productionMigratesBeforeItServes() throws Exception {
    requireKubectl();
    Map<String, Object> pod = cast(cast(cast(only(render("k8s/overlays/production"), "Deployment", "stockroom").get("spec"))
      .get("template")).get("spec"));
    Map<String, Object> service = cast(((List<?>) pod.get("containers")).get(0));
    List<?> inits = (List<?>) pod.get("initContainers");
    assertEquals(1, inits.size());
    Map<String, Object> migrate = cast(inits.get(0));
    assertEquals("migrate", migrate.get("name"));
    assertEquals(List.of("migrate"), migrate.get("args"));
    assertEquals(null, migrate.get("command"), "a command would replace the image's entrypoint (java ... io.stockroom.Main)");
    for (String field : List.of("image", "imagePullPolicy", "envFrom", "env", "volumeMounts", "securityContext", "resources")) {
      assertEquals(service.get(field), migrate.get(field), "the migration's " + field + " is the service's");
    }
    // The argument reaches Main.main as args[0] only while the image's entrypoint is Jib's java ... <mainClass>.
    String pom = Files.readString(Path.of("pom.xml"));
    assertTrue(pom.contains("<mainClass>${main.class}</mainClass>") && pom.contains("<main.class>io.stockroom.Main</main.class>"), "Jib runs Main");
    assertTrue(!pom.contains("<entrypoint>") && !pom.contains("<args>"), "Jib's default entrypoint, no fixed arguments");
  }

  @Test
  @DisplayName("the Redis Sentinel example renders, and production's Redis settings name its Sentinels and master")
  void redisSentinelExample() throws Exception {
    requireKubectl();
    List<Map<String, Object>> example = render("k8s/examples/redis-sentinel");
    Map<String, Object> headless = cast(only(example, "Service", "redis-sentinel").get("spec"));
    assertEquals("None", headless.get("clusterIP"));
    Map<String, Object> set = cast(only(example, "StatefulSet", "redis-sentinel").get("spec"));
    assertEquals("redis-sentinel", set.get("serviceName"));
    int replicas = (Integer) set.get("replicas");
    Map<String, Object> scripts = cast(only(example, "ConfigMap", "redis-sentinel-config").get("data"));
    String masterName = (String) scripts.get("MASTER_NAME");
    assertTrue(((String) scripts.get("configure.sh")).contains("sentinel monitor $MASTER_NAME"));

    List<Map<String, Object>> production = render("k8s/overlays/production");
    Map<String, Object> config = cast(only(production, "ConfigMap", "stockroom-config").get("data"));
    assertEquals("sentinel", config.get("STOCKROOM_REDIS_TYPE"));
    assertEquals(masterName, config.get("STOCKROOM_REDIS_MASTER_NAME"));
    // the URI lives in the Secret the operator creates: its template names the example's Sentinels
    List<String> sentinels = new ArrayList<>();
    for (int i = 0; i < replicas; i++) sentinels.add("redis://redis-sentinel-" + i + ".redis-sentinel:26379");
    assertTrue(Files.readString(Path.of(PRODUCTION_SECRET_TEMPLATE)).contains("#   " + String.join(",", sentinels) + "\n"),
      PRODUCTION_SECRET_TEMPLATE + " shows the Sentinels of k8s/examples/redis-sentinel");
  }

  @Test
  @DisplayName("production renders no Secret and no placeholder: the Deployment reads Secrets created from outside, whose "
    + "template holds keys without values; its Ingress routes only the API, over TLS, to pods that trust its "
    + "X-Forwarded-For and send HSTS")
  void productionSecretsComeFromOutside() throws Exception {
    requireKubectl();
    Process process = new ProcessBuilder("kubectl", "kustomize", "k8s/overlays/production").redirectErrorStream(true).start();
    String rendered = new String(process.getInputStream().readAllBytes());
    assertTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0, rendered);
    assertTrue(!rendered.contains("REPLACE-ME"), "a placeholder would overwrite a real value when applied");
    List<Map<String, Object>> documents = render("k8s/overlays/production");
    assertEquals(List.of(), documents.stream().filter(d -> "Secret".equals(d.get("kind"))).toList(),
      "applying the overlay must never replace a Secret");

    Map<String, Object> pod = cast(cast(cast(only(documents, "Deployment", "stockroom").get("spec")).get("template")).get("spec"));
    Map<String, Object> container = cast(((List<?>) pod.get("containers")).get(0));
    assertTrue(((List<?>) container.get("envFrom")).contains(Map.of("secretRef", Map.of("name", "stockroom-secrets"))));
    assertTrue(((List<?>) pod.get("volumes")).contains(Map.of("name", "jwt-keys", "secret", Map.of("secretName", "stockroom-jwt-keys"))));

    for (String line : Files.readAllLines(Path.of(PRODUCTION_SECRET_TEMPLATE))) {
      if (line.isBlank() || line.startsWith("#")) continue;
      assertTrue(line.endsWith("="), PRODUCTION_SECRET_TEMPLATE + " holds a value: " + line);
    }
    String ignored = Files.readString(Path.of("k8s/overlays/production/secrets/.gitignore"));
    assertTrue(ignored.contains("\n*\n") && ignored.contains("!*.example"), "filled-in secrets stay out of git");

    Map<String, Object> ingress = cast(only(documents, "Ingress", "stockroom").get("spec"));
    assertTrue(ingress.get("tls") != null, "TLS ends at the ingress");
    for (Object rule : (List<?>) ingress.get("rules")) {
      for (Object path : (List<?>) cast(cast(rule).get("http")).get("paths")) {
        assertEquals(Map.of("name", "stockroom", "port", Map.of("name", "http")), cast(cast(path).get("backend")).get("service"));
      }
    }
    Map<String, Object> config = cast(only(documents, "ConfigMap", "stockroom-config").get("data"));
    assertEquals("true", config.get("STOCKROOM_HTTP_TRUST_FORWARDED_HEADERS"));
    assertTrue(Integer.parseInt((String) config.get("STOCKROOM_HTTP_HSTS_MAX_AGE_SECONDS")) > 0);
    assertEquals("stockroom", config.get("STOCKROOM_CLUSTER_NAME"));
  }

  /** The keys of the Secret stockroom-secrets: rendered by the overlay, or (production) those of its template. */
  private static Set<String> secretKeys(String overlay, List<Map<String, Object>> documents) throws Exception {
    if (!overlay.endsWith("production")) return cast(only(documents, "Secret", "stockroom-secrets").get("stringData")).keySet();
    Set<String> keys = new HashSet<>();
    for (String line : Files.readAllLines(Path.of(PRODUCTION_SECRET_TEMPLATE))) {
      if (!line.isBlank() && !line.startsWith("#")) keys.add(line.substring(0, line.indexOf('=')));
    }
    assertEquals(Set.of("STOCKROOM_MONGO_URI", "STOCKROOM_REDIS_URI"), keys);
    return keys;
  }

  private static List<String> servicePorts(Map<String, Object> service) {
    return ((List<?>) cast(service.get("spec")).get("ports")).stream().map(p -> (String) cast(p).get("targetPort")).toList();
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
