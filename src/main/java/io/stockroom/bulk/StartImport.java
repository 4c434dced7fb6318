package io.stockroom.bulk;

import io.stockroom.platform.bus.BusRequest;
import io.stockroom.platform.bus.Invocation;

/** A file to import: its media type (CSV or JSON lines) and its text, for the caller's tenant. */
public record StartImport(Invocation by, String contentType, String text) {
  static StartImport from(BusRequest request) {
    return new StartImport(request.invocation(), request.body().getString("contentType"), request.body().getString("text"));
  }

  String format() {
    return contentType.startsWith("application/x-ndjson") ? "ndjson" : "csv";
  }
}
