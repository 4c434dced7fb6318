package io.stockroom.platform.contract;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The contract's schemas for what enters another way than a request the router validated: an import row is checked
 * against the very schema a request body is, so both ways refuse the same documents with the same messages.
 */
public final class ContractSchemas {
  private static final String BASE_URI = "urn:stockroom:";
  private static final String DOCUMENT_URI = BASE_URI + "openapi";

  private final SchemaRepository repository;
  /** One per schema named, the few the services ask for; validators are immutable and thread-safe. */
  private final Map<String, Validator> validators = new ConcurrentHashMap<>();

  ContractSchemas(JsonObject document) {
    JsonSchemaOptions options = new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri(BASE_URI)
      .setOutputFormat(OutputFormat.Basic);
    this.repository = SchemaRepository.create(options).dereference(DOCUMENT_URI, JsonSchema.of(document));
  }

  /** The schemas of the contract at {@link OpenApiDocument#PATH}. */
  public static Future<ContractSchemas> load(Vertx vertx) {
    return OpenApiDocument.read(vertx, OpenApiDocument.PATH)
      .compose(document -> vertx.executeBlocking(() -> new ContractSchemas(document), false));
  }

  /**
   * What is wrong with {@code value} by the schema at {@code pointer} in the contract (e.g.
   * {@code /components/schemas/VariantCreate}): one {pointer, message} per failed check, as a 400 lists them; empty
   * when it is valid.
   */
  public JsonArray errors(String pointer, Object value) {
    OutputUnit result = validators.computeIfAbsent(pointer, this::validator).validate(value);
    return Boolean.TRUE.equals(result.getValid()) ? new JsonArray() : ValidationErrors.of(result);
  }

  private Validator validator(String pointer) {
    return repository.validator(JsonSchema.of(new JsonObject().put("$ref", DOCUMENT_URI + "#" + pointer)));
  }
}
