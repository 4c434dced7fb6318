package io.stockroom;

import io.stockroom.api.Operation;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The console shows a control only to the roles its operation allows ({@code webroot/assets/js/roles.js}); that table
 * must say what the service's role matrix ({@link Operation}) says, or STAFF would see buttons that answer 403 (or miss
 * ones it may use).
 */
class ConsoleRolesTest {
  private static final Path ROLES = Path.of("src/main/resources/webroot/assets/js/roles.js");

  @Test
  @DisplayName("the page's role table names operations of the contract with exactly the roles api/Operation allows them")
  void pageRolesMatchTheRoleMatrix() throws IOException {
    Matcher entry = Pattern.compile("^\\s*(\\w+): \\[([^\\]]*)\\],?$", Pattern.MULTILINE).matcher(Files.readString(ROLES));
    Map<String, Set<String>> page = new TreeMap<>();
    while (entry.find()) {
      page.put(entry.group(1), Arrays.stream(entry.group(2).split(",")).map(r -> r.trim().replace("'", ""))
        .filter(r -> !r.isEmpty()).collect(Collectors.toCollection(TreeSet::new)));
    }
    assertFalse(page.isEmpty(), "no entries read from " + ROLES);
    Map<String, Set<String>> service = new TreeMap<>();
    for (Operation operation : Operation.values()) {
      if (!page.containsKey(operation.operationId())) continue;
      service.put(operation.operationId(), operation.isPublic() ? Set.of()
        : operation.allowedRoles().stream().map(Enum::name).collect(Collectors.toCollection(TreeSet::new)));
    }
    assertEquals(service, page);
  }
}
