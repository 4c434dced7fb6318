package io.stockroom.auth;

import io.stockroom.platform.audit.AuditAction;

/** The audited changes of tenants, users and the service's own sign-in settings. */
enum AccountAction implements AuditAction {
  TENANT_CREATED,
  USER_CREATED,
  USER_RENAMED,
  USER_ROLE_CHANGED,
  USER_DEACTIVATED,
  USER_REACTIVATED,
  SIGNING_KEY_ACTIVATED,
  RATE_LIMITS_CHANGED
}
