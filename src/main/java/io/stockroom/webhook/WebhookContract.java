package io.stockroom.webhook;

import io.stockroom.platform.bus.ServiceOperation;

/** Event-bus addresses answered by {@link WebhookVerticle}. */
public final class WebhookContract {
  public static final ServiceOperation CREATE = ServiceOperation.named("webhooks.create");
  public static final ServiceOperation LIST = ServiceOperation.named("webhooks.list");
  public static final ServiceOperation GET = ServiceOperation.named("webhooks.get");
  public static final ServiceOperation UPDATE = ServiceOperation.named("webhooks.update");
  public static final ServiceOperation DELETE = ServiceOperation.named("webhooks.delete");
  public static final ServiceOperation ROTATE_SECRET = ServiceOperation.named("webhooks.rotate-secret");
  public static final ServiceOperation DELIVERIES = ServiceOperation.named("webhooks.deliveries");
  public static final ServiceOperation REDELIVER = ServiceOperation.named("webhooks.redeliver");
  /** Background jobs: hand committed events on to the endpoints, and send the deliveries that are due. */
  public static final ServiceOperation DISPATCH = ServiceOperation.named("webhooks.dispatch");
  public static final ServiceOperation SEND_DUE = ServiceOperation.named("webhooks.send-due");

  private WebhookContract() {
  }
}
