package io.stockroom.support;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Every successful JSON answer a test receives through {@link Api} (and {@code ContractFuzzTest}'s) names only fields
 * its response schema declares: a stored document's internal field reaching clients fails the test that saw it.
 */
public final class ContractAnswers {
  private static final ContractDocument CONTRACT = ContractDocument.load();
  private static final UndeclaredFields UNDECLARED = new UndeclaredFields(CONTRACT);

  private ContractAnswers() {
  }

  public static Res checked(HttpMethod method, String pathAndQuery, Res answer) {
    if (answer.status() < 200 || answer.status() >= 300 || answer.text().isEmpty()
      || answer.contentType() == null || !answer.contentType().startsWith("application/json")) {
      return answer;
    }
    int query = pathAndQuery.indexOf('?');
    ContractDocument.Operation op = CONTRACT.operationFor(method.name(), query < 0 ? pathAndQuery : pathAndQuery.substring(0, query));
    JsonObject schema = op == null ? null : CONTRACT.responseSchema(op, answer.status());
    if (schema == null) return answer;
    List<String> undeclared = UNDECLARED.in(Json.decodeValue(answer.text()), schema);
    if (!undeclared.isEmpty()) {
      throw new AssertionError(op.operationId() + " answered fields its schema in openapi.yaml does not declare " + undeclared
        + ": " + answer);
    }
    return answer;
  }
}
