package io.stockroom.platform.audit;

/** What an administrative change did; docs/security.md's audit log lists these. */
public enum AuditAction {
  TENANT_CREATED,
  USER_CREATED,
  USER_RENAMED,
  USER_ROLE_CHANGED,
  USER_DEACTIVATED,
  USER_REACTIVATED,
  SIGNING_KEY_ACTIVATED,
  RATE_LIMITS_CHANGED,
  WEBHOOK_CREATED,
  WEBHOOK_UPDATED,
  WEBHOOK_DELETED,
  WEBHOOK_SECRET_ROTATED
}
