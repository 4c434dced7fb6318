package io.stockroom.platform.audit;

/**
 * What an audit entry records, named by the feature that does it (each declares its actions as an enum implementing
 * this); the log stores and filters by {@link #name}.
 */
public interface AuditAction {
  String name();
}
