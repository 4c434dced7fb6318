package io.stockroom.platform.contract;

import io.stockroom.platform.eventloop.SharedResults;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The contract's schemas for what enters another way than a request the router validated: an import row is checked
 * against the very schema a request body is, so both ways refuse the same documents with the same messages.
 */
public final class ContractSchemas {
  private static final String BASE_URI = "urn:stockroom:";
  private static final String DOCUMENT_URI = BASE_URI + "openapi";

  private final JsonObject document;
  private final SchemaRepository repository;
  /**
   * One per schema asked for. A validator only reads its schema and keeps each validation's state on the stack (read
   * in vertx-json-schema 5.0.7), so the import's worker threads and the event loops share them.
   */
  private final Map<String, Validator> validators = new ConcurrentHashMap<>();

  private ContractSchemas(JsonObject document) {
    // dereferencing annotates the schemas in place, and the router's contract is made from the same document meanwhile
    this.document = document.copy();
    JsonSchemaOptions options = new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri(BASE_URI)
      .setOutputFormat(OutputFormat.Basic);
    this.repository = SchemaRepository.create(options).dereference(DOCUMENT_URI, JsonSchema.of(this.document));
  }

  /** The schemas of {@code document}, the contract read once for every verticle (dereferenced on a worker). */
  public static Future<ContractSchemas> of(Vertx vertx, Future<JsonObject> document) {
    return document.compose(read -> vertx.executeBlocking(() -> new ContractSchemas(read), false));
  }

  /** The schemas of the contract at {@link OpenApiDocument#PATH}, read for this caller alone. */
  public static Future<ContractSchemas> load(Vertx vertx) {
    return of(vertx, OpenApiDocument.read(vertx, OpenApiDocument.PATH));
  }

  /**
   * For a verticle starting: the schemas {@code shared} by every verticle (or, without them, read for it alone), on
   * the verticle's own context, with the validators it will use built.
   */
  public static Future<ContractSchemas> forVerticle(Vertx vertx, Future<ContractSchemas> shared, List<String> pointers) {
    return SharedResults.onCurrentContext(shared != null ? shared : load(vertx)).map(schemas -> schemas.require(pointers));
  }

  /**
   * Builds the validators of the schemas a service will ask for, so that a schema the contract lost (renamed, moved)
   * fails the start instead of a request.
   */
  public ContractSchemas require(List<String> pointers) {
    for (String pointer : pointers) {
      if (JsonPointer.from(pointer).queryJson(document) == null) {
        throw new IllegalStateException("openapi.yaml has no schema at " + pointer);
      }
      validators.computeIfAbsent(pointer, this::validator);
    }
    return this;
  }

  /**
   * What is wrong with {@code value} by the schema at {@code pointer} in the contract (e.g.
   * {@code /components/schemas/VariantCreate}, one given to {@link #require}): one {pointer, message} per failed
   * check, as a 400 lists them; empty when it is valid.
   */
  public JsonArray errors(String pointer, Object value) {
    Validator validator = validators.get(pointer);
    if (validator == null) throw new IllegalStateException(pointer + " was not required at the start");
    OutputUnit result = validator.validate(value);
    return Boolean.TRUE.equals(result.getValid()) ? new JsonArray()
      : ValidationErrors.of(result, new JsonObject().put("$ref", "#" + pointer), document);
  }

  /** The text at {@code pointer} in the contract (a message the contract defines once), or null. */
  public String text(String pointer) {
    return JsonPointer.from(pointer).queryJson(document) instanceof String text ? text : null;
  }

  private Validator validator(String pointer) {
    return repository.validator(JsonSchema.of(new JsonObject().put("$ref", DOCUMENT_URI + "#" + pointer)));
  }
}
