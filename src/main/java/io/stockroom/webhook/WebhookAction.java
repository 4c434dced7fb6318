package io.stockroom.webhook;

import io.stockroom.platform.audit.AuditAction;

/** The audited changes of webhook endpoints. */
enum WebhookAction implements AuditAction {
  WEBHOOK_CREATED,
  WEBHOOK_UPDATED,
  WEBHOOK_DELETED,
  WEBHOOK_SECRET_ROTATED
}
