package io.stockroom.bulk;

import io.stockroom.platform.bus.BusRequest;
import io.vertx.core.json.JsonObject;

/** What to export: the tenant's, as CSV or JSON lines, movements created in [from, to) when those are given. */
public record ExportRequest(String tenantId, boolean ndjson, JsonObject createdRange) {
  static ExportRequest from(BusRequest request) {
    JsonObject query = request.query();
    JsonObject range = new JsonObject();
    for (String bound : new String[] {"from", "to"}) if (query.getValue(bound) != null) range.put(bound, query.getValue(bound));
    return new ExportRequest(request.tenantId(), "ndjson".equals(query.getString("format")), range);
  }
}
