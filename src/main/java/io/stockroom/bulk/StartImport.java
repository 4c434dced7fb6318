package io.stockroom.bulk;

import io.stockroom.platform.bus.BusRequest;
import io.stockroom.platform.bus.Invocation;
import io.stockroom.platform.mongo.RecordCodec;

/** A file to import: its media type (CSV or JSON lines) and its text, for the caller's tenant. */
public record StartImport(Invocation by, String contentType, String text) {
  /** The request's body. */
  private record Body(String contentType, String text) {
  }

  static StartImport from(BusRequest request) {
    Body body = RecordCodec.api(Body.class).decode(request.body());
    return new StartImport(request.invocation(), body.contentType(), body.text());
  }

  String format() {
    return contentType.startsWith("application/x-ndjson") ? "ndjson" : "csv";
  }
}
