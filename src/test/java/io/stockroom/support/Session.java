package io.stockroom.support;

/** A signed-in user as tests use it. */
public record Session(String token, String tenantId, String userId, String email, String password) {
}
