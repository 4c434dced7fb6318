package io.stockroom.bulk;

import io.stockroom.platform.bus.BusRequest;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonObject;

/** What to export: the tenant's, as CSV or JSON lines, movements created in [from, to) when those are given. */
public record ExportRequest(String tenantId, boolean ndjson, JsonObject createdRange) {
  /** The export's query parameters: the format, and the bounds of the movements' creation. */
  private record Query(String format, Object from, Object to) {
  }

  /** The bounds given (one, both or none). */
  private record Range(Object from, Object to) {
  }

  static ExportRequest from(BusRequest request) {
    Query query = RecordCodec.api(Query.class).decode(request.query());
    return new ExportRequest(request.tenantId(), "ndjson".equals(query.format()), RecordCodec.toApi(new Range(query.from(), query.to())));
  }
}
