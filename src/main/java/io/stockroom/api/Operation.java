package io.stockroom.api;

import io.stockroom.platform.bus.ServiceOperation;
import io.stockroom.auth.AuthContract;
import io.stockroom.bulk.BulkContract;
import io.stockroom.platform.security.Role;
import io.stockroom.catalog.CatalogContract;
import io.stockroom.dashboard.DashboardContract;
import io.stockroom.inventory.InventoryContract;
import io.stockroom.location.LocationContract;
import io.stockroom.order.OrderContract;
import io.stockroom.purchasing.PurchasingContract;
import io.stockroom.supplier.SupplierContract;
import io.stockroom.transfer.TransferContract;
import io.stockroom.webhook.WebhookContract;

import java.util.Set;

/**
 * The role matrix: every operation of openapi.yaml that is forwarded to a service, the event-bus address that
 * serves it and the roles allowed to call it (deny by default: a role not listed gets 403 before the service runs).
 * An operation with no roles is public. README's role table is this enum.
 */
public enum Operation {
  SIGNUP("signup", AuthContract.SIGNUP, null),
  LOGIN("login", AuthContract.LOGIN, null),
  REFRESH_SESSION("refreshSession", AuthContract.REFRESH, null),
  LOGOUT("logout", AuthContract.LOGOUT, null),
  GET_ME("getMe", AuthContract.ME, Role.ANY),

  CREATE_USER("createUser", AuthContract.USERS_CREATE, Role.OWNER_ONLY, Body.JSON, "/api/v1/users/"),
  LIST_USERS("listUsers", AuthContract.USERS_LIST, Role.OWNER_ONLY),
  GET_USER("getUser", AuthContract.USERS_GET, Role.OWNER_ONLY),
  UPDATE_USER("updateUser", AuthContract.USERS_UPDATE, Role.OWNER_ONLY),
  DEACTIVATE_USER("deactivateUser", AuthContract.USERS_DEACTIVATE, Role.OWNER_ONLY),
  GET_AUDIT_LOG("getAuditLog", AuthContract.AUDIT_LOG, Role.OWNER_ONLY),

  CREATE_PRODUCT("createProduct", CatalogContract.PRODUCTS_CREATE, Role.MANAGER_UP, Body.JSON, "/api/v1/products/"),
  LIST_PRODUCTS("listProducts", CatalogContract.PRODUCTS_LIST, Role.ANY),
  GET_PRODUCT("getProduct", CatalogContract.PRODUCTS_GET, Role.ANY),
  UPDATE_PRODUCT("updateProduct", CatalogContract.PRODUCTS_UPDATE, Role.MANAGER_UP),
  DELETE_PRODUCT("deleteProduct", CatalogContract.PRODUCTS_DELETE, Role.MANAGER_UP),

  CREATE_VARIANT("createVariant", CatalogContract.VARIANTS_CREATE, Role.MANAGER_UP, Body.JSON, "/api/v1/variants/"),
  CREATE_VARIANT_MATRIX("createVariantMatrix", CatalogContract.VARIANT_MATRIX_CREATE, Role.MANAGER_UP),
  LIST_VARIANTS("listVariants", CatalogContract.VARIANTS_LIST, Role.ANY),
  GET_VARIANT("getVariant", CatalogContract.VARIANTS_GET, Role.ANY),
  UPDATE_VARIANT("updateVariant", CatalogContract.VARIANTS_UPDATE, Role.MANAGER_UP),
  DELETE_VARIANT("deleteVariant", CatalogContract.VARIANTS_DELETE, Role.MANAGER_UP),

  CREATE_SUPPLIER("createSupplier", SupplierContract.CREATE, Role.MANAGER_UP, Body.JSON, "/api/v1/suppliers/"),
  LIST_SUPPLIERS("listSuppliers", SupplierContract.LIST, Role.ANY),
  GET_SUPPLIER("getSupplier", SupplierContract.GET, Role.ANY),
  UPDATE_SUPPLIER("updateSupplier", SupplierContract.UPDATE, Role.MANAGER_UP),
  DELETE_SUPPLIER("deleteSupplier", SupplierContract.DELETE, Role.MANAGER_UP),

  GET_INVENTORY_AUDIT("getInventoryAudit", InventoryContract.AUDIT, Role.ANY),
  LIST_STOCK_MOVEMENTS("listStockMovements", InventoryContract.MOVEMENTS_LIST, Role.ANY),
  CREATE_ADJUSTMENT("createAdjustment", InventoryContract.ADJUST, Role.MANAGER_UP),
  CREATE_COUNT("createCount", InventoryContract.COUNT, Role.MANAGER_UP),
  GET_STOCK_LEVELS("getStockLevels", InventoryContract.LEVELS, Role.ANY),
  CREATE_STATE_MOVE("createStateMove", InventoryContract.STATE_MOVE, Role.MANAGER_UP),

  CREATE_LOCATION("createLocation", LocationContract.CREATE, Role.MANAGER_UP, Body.JSON, "/api/v1/locations/"),
  LIST_LOCATIONS("listLocations", LocationContract.LIST, Role.ANY),
  GET_LOCATION("getLocation", LocationContract.GET, Role.ANY),
  UPDATE_LOCATION("updateLocation", LocationContract.UPDATE, Role.MANAGER_UP),
  DELETE_LOCATION("deleteLocation", LocationContract.DELETE, Role.MANAGER_UP),
  GET_ALLOCATION_RULE("getAllocationRule", LocationContract.GET_ALLOCATION, Role.ANY),
  SET_ALLOCATION_RULE("setAllocationRule", LocationContract.SET_ALLOCATION, Role.MANAGER_UP),

  PLACE_ORDER("placeOrder", OrderContract.PLACE, Role.ANY, Body.JSON, "/api/v1/orders/"),
  LIST_ORDERS("listOrders", OrderContract.LIST, Role.ANY),
  GET_ORDER("getOrder", OrderContract.GET, Role.ANY),
  CANCEL_ORDER("cancelOrder", OrderContract.CANCEL, Role.MANAGER_UP),
  CREATE_RETURN("createReturn", OrderContract.RETURN, Role.ANY),
  CREATE_RESERVATION("createReservation", OrderContract.RESERVE, Role.ANY, Body.JSON, "/api/v1/reservations/"),
  LIST_RESERVATIONS("listReservations", OrderContract.RESERVATIONS_LIST, Role.ANY),
  GET_RESERVATION("getReservation", OrderContract.RESERVATIONS_GET, Role.ANY),
  RELEASE_RESERVATION("releaseReservation", OrderContract.RELEASE, Role.ANY),

  CREATE_PURCHASE_ORDER("createPurchaseOrder", PurchasingContract.CREATE, Role.MANAGER_UP, Body.JSON, "/api/v1/purchase-orders/"),
  LIST_PURCHASE_ORDERS("listPurchaseOrders", PurchasingContract.LIST, Role.ANY),
  GET_PURCHASE_ORDER("getPurchaseOrder", PurchasingContract.GET, Role.ANY),
  UPDATE_PURCHASE_ORDER("updatePurchaseOrder", PurchasingContract.UPDATE, Role.MANAGER_UP),
  DELETE_PURCHASE_ORDER("deletePurchaseOrder", PurchasingContract.DELETE, Role.MANAGER_UP),
  SEND_PURCHASE_ORDER("sendPurchaseOrder", PurchasingContract.SEND, Role.MANAGER_UP),
  CONFIRM_PURCHASE_ORDER("confirmPurchaseOrder", PurchasingContract.CONFIRM, Role.MANAGER_UP),
  CANCEL_PURCHASE_ORDER("cancelPurchaseOrder", PurchasingContract.CANCEL, Role.MANAGER_UP),
  CLOSE_PURCHASE_ORDER("closePurchaseOrder", PurchasingContract.CLOSE, Role.MANAGER_UP),
  CREATE_RECEIPT("createReceipt", PurchasingContract.RECEIVE, Role.ANY),
  LIST_RECEIPTS("listReceipts", PurchasingContract.LIST_RECEIPTS, Role.ANY),

  CREATE_TRANSFER("createTransfer", TransferContract.CREATE, Role.MANAGER_UP, Body.JSON, "/api/v1/transfers/"),
  LIST_TRANSFERS("listTransfers", TransferContract.LIST, Role.ANY),
  GET_TRANSFER("getTransfer", TransferContract.GET, Role.ANY),
  SHIP_TRANSFER("shipTransfer", TransferContract.SHIP, Role.ANY),
  RECEIVE_TRANSFER("receiveTransfer", TransferContract.RECEIVE, Role.ANY),
  CANCEL_TRANSFER("cancelTransfer", TransferContract.CANCEL, Role.MANAGER_UP),

  CREATE_WEBHOOK("createWebhook", WebhookContract.CREATE, Role.MANAGER_UP, Body.JSON, "/api/v1/webhooks/"),
  LIST_WEBHOOKS("listWebhooks", WebhookContract.LIST, Role.MANAGER_UP),
  GET_WEBHOOK("getWebhook", WebhookContract.GET, Role.MANAGER_UP),
  UPDATE_WEBHOOK("updateWebhook", WebhookContract.UPDATE, Role.MANAGER_UP),
  DELETE_WEBHOOK("deleteWebhook", WebhookContract.DELETE, Role.MANAGER_UP),
  ROTATE_WEBHOOK_SECRET("rotateWebhookSecret", WebhookContract.ROTATE_SECRET, Role.MANAGER_UP),
  LIST_WEBHOOK_DELIVERIES("listWebhookDeliveries", WebhookContract.DELIVERIES, Role.MANAGER_UP),
  REDELIVER_WEBHOOK("redeliverWebhook", WebhookContract.REDELIVER, Role.MANAGER_UP),

  START_IMPORT("startImport", BulkContract.IMPORT, Role.MANAGER_UP, Body.RAW),
  LIST_IMPORTS("listImports", BulkContract.IMPORT_LIST, Role.MANAGER_UP),
  GET_IMPORT("getImport", BulkContract.IMPORT_GET, Role.MANAGER_UP),
  EXPORT_VARIANTS("exportVariants", BulkContract.EXPORT_VARIANTS, Role.ANY, Body.STREAMED_ANSWER),
  EXPORT_STOCK_LEVELS("exportStockLevels", BulkContract.EXPORT_STOCK_LEVELS, Role.ANY, Body.STREAMED_ANSWER),
  EXPORT_MOVEMENTS("exportMovements", BulkContract.EXPORT_MOVEMENTS, Role.ANY, Body.STREAMED_ANSWER),

  GET_DASHBOARD("getDashboard", DashboardContract.GET, Role.ANY);

  private final String operationId;
  private final ServiceOperation service;
  private final Set<Role> allowedRoles;

  private final Body body;
  private final String createdUnder;

  Operation(String operationId, ServiceOperation service, Set<Role> allowedRoles) {
    this(operationId, service, allowedRoles, Body.JSON);
  }

  Operation(String operationId, ServiceOperation service, Set<Role> allowedRoles, Body body) {
    this(operationId, service, allowedRoles, body, null);
  }

  /** @param createdUnder for an operation whose 201 creates a resource with its own URL: that URL less the new id */
  Operation(String operationId, ServiceOperation service, Set<Role> allowedRoles, Body body, String createdUnder) {
    this.operationId = operationId;
    this.service = service;
    this.allowedRoles = allowedRoles;
    this.body = body;
    this.createdUnder = createdUnder;
  }

  public String operationId() { return operationId; }
  public String address() { return service.address(); }
  public boolean isPublic() { return allowedRoles == null; }
  /** Answered as a stream of chunks (exports), not one message. */
  public boolean streamed() { return body == Body.STREAMED_ANSWER; }
  /** Takes its request body as raw text (a CSV or JSON-lines file), not as validated JSON. */
  public boolean rawBody() { return body == Body.RAW; }
  /** The {@code Location} of the resource a 201 answer created with id {@code id}; null when it has no URL of its own. */
  public String location(String id) { return createdUnder == null || id == null ? null : createdUnder + id; }

  /** How an operation's request and answer travel: JSON both ways, a raw request body, or a streamed answer. */
  enum Body { JSON, RAW, STREAMED_ANSWER }
  public boolean allows(Role role) { return allowedRoles != null && allowedRoles.contains(role); }
  public Set<Role> allowedRoles() { return allowedRoles; }
}
