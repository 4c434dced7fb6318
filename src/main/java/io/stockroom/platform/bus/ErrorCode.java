package io.stockroom.platform.bus;

/** The problem types Stockroom answers with; each maps to one HTTP status and one problem+json {@code type}. */
public enum ErrorCode {
  VALIDATION(400, "validation-error", "The request is invalid"),
  UNAUTHORIZED(401, "unauthorized", "Authentication required"),
  /** The access token verified but its {@code exp} has passed: refresh the session, then retry. */
  TOKEN_EXPIRED(401, "token-expired", "The access token expired"),
  FORBIDDEN(403, "forbidden", "Not allowed for your role"),
  NOT_FOUND(404, "not-found", "Not found"),
  METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
  CONFLICT(409, "conflict", "Conflict with the current state"),
  DUPLICATE(409, "duplicate", "Already exists"),
  /** The credentials open accounts in several tenants: log in again naming one of the {@code tenants} listed. */
  TENANT_CHOICE_REQUIRED(409, "tenant-choice-required", "Choose a tenant"),
  PAYLOAD_TOO_LARGE(413, "payload-too-large", "Request body too large"),
  URI_TOO_LONG(414, "uri-too-long", "Request URI too long"),
  HEADERS_TOO_LARGE(431, "headers-too-large", "Request headers too large"),
  UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
  RATE_LIMITED(429, "rate-limited", "Too many requests"),
  UNPROCESSABLE(422, "unprocessable", "The request cannot be processed"),
  UNAVAILABLE(503, "unavailable", "Service temporarily unavailable"),
  OUTCOME_UNKNOWN(503, "outcome-unknown", "Outcome unknown"),
  INTERNAL(500, "internal-error", "Internal server error");

  private final int status;
  private final String slug;
  private final String title;

  ErrorCode(int status, String slug, String title) {
    this.status = status;
    this.slug = slug;
    this.title = title;
  }

  public int status() { return status; }
  public String slug() { return slug; }
  public String title() { return title; }
  public String type() { return "urn:stockroom:problem:" + slug; }

  public static ErrorCode fromSlug(String slug) {
    for (ErrorCode c : values()) if (c.slug.equals(slug)) return c;
    return null;
  }

  /** The generic code for a status when no specific one was given. */
  public static ErrorCode forStatus(int status) {
    if (status == 503) return UNAVAILABLE;
    for (ErrorCode c : values()) if (c.status == status) return c;
    return status >= 500 ? INTERNAL : VALIDATION;
  }
}
