package io.stockroom.api;

import io.stockroom.auth.InvalidToken;
import io.stockroom.platform.bus.ServiceError;

/**
 * The challenge every 401 carries (RFC 6750 §3): {@code Bearer realm="stockroom"}; when a bearer token was presented
 * and refused ({@link InvalidToken}), also {@code error="invalid_token"} and the reason in {@code error_description}
 * ({@code "The access token expired"} when refreshing the session helps). A request without a token, or one trying
 * another scheme, gets no error attribute (§3.1).
 */
final class BearerChallenge {
  static final String HEADER = "WWW-Authenticate";
  static final String REALM = "stockroom";

  private BearerChallenge() {
  }

  static String of(ServiceError refusal) {
    String challenge = "Bearer realm=\"" + REALM + "\"";
    if (!(refusal instanceof InvalidToken)) return challenge;
    return challenge + ", error=\"invalid_token\", error_description=\"" + quotable(refusal.detail()) + "\"";
  }

  /** RFC 6750 allows %x20-21 / %x23-5B / %x5D-7E in {@code error_description}: anything else becomes a space. */
  static String quotable(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      out.append(c >= 0x20 && c <= 0x7E && c != '"' && c != '\\' ? c : ' ');
    }
    return out.toString();
  }
}
