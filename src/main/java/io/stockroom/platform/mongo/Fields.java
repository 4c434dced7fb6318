package io.stockroom.platform.mongo;

/**
 * The fields every tenant document has, named once: its id, its tenant, and the version its compare-and-set writes
 * bump. A collection's own fields are named by the record or repository that owns it.
 */
public final class Fields {
  private Fields() {
  }

  public static final String ID = "_id";
  public static final String TENANT_ID = "tenantId";
  public static final String VERSION = "version";
  public static final String CREATED_AT = "createdAt";
  public static final String UPDATED_AT = "updatedAt";
}
