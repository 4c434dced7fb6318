package io.stockroom.platform.lock;

import java.util.HashMap;
import java.util.Map;

/**
 * Lock key names, defined once, and their rank in the global lock order: parents (product, supplier, a tenant's
 * dashboard) first, then documents (orders, purchase orders, reservations, transfers), then variants. Work that needs a document and its
 * variants locks the document, re-reads it, and only then extends the lease with the variants it names.
 */
public final class LockKeys {
  static final String PREFIX = "lock:";
  private static final String PRODUCT = "lock:product:";
  private static final String SUPPLIER = "lock:supplier:";
  private static final String DASHBOARD = "lock:dashboard:";
  private static final String ORDER = "lock:order:";
  private static final String PURCHASE_ORDER = "lock:purchaseOrder:";
  private static final String RESERVATION = "lock:reservation:";
  private static final String TRANSFER = "lock:transfer:";
  private static final String VARIANT = "lock:variant:";

  private LockKeys() {
  }

  public static String product(String tenantId, String productId) { return PRODUCT + segment(tenantId) + ":" + segment(productId); }
  public static String supplier(String tenantId, String supplierId) { return SUPPLIER + segment(tenantId) + ":" + segment(supplierId); }
  public static String dashboard(String tenantId) { return DASHBOARD + segment(tenantId); }
  public static String order(String tenantId, String orderId) { return ORDER + segment(tenantId) + ":" + segment(orderId); }
  public static String purchaseOrder(String tenantId, String id) { return PURCHASE_ORDER + segment(tenantId) + ":" + segment(id); }
  public static String reservation(String tenantId, String id) { return RESERVATION + segment(tenantId) + ":" + segment(id); }
  public static String transfer(String tenantId, String id) { return TRANSFER + segment(tenantId) + ":" + segment(id); }
  public static String variant(String tenantId, String variantId) { return VARIANT + segment(tenantId) + ":" + segment(variantId); }

  /**
   * An id as one key segment. Real ids are hex, but a client may send any text as an id (it then answers 404): the
   * characters that would end a segment or form a Redis Cluster hash tag are escaped, so every key parses back and
   * has companions in its hash slot.
   */
  static String segment(String id) {
    if (id.indexOf('%') < 0 && id.indexOf(':') < 0 && id.indexOf('{') < 0 && id.indexOf('}') < 0) return id;
    return id.replace("%", "%25").replace(":", "%3A").replace("{", "%7B").replace("}", "%7D");
  }

  private static String unescape(String segment) {
    if (segment.indexOf('%') < 0) return segment;
    return segment.replace("%7D", "}").replace("%7B", "{").replace("%3A", ":").replace("%25", "%");
  }

  /** The variant id of a variant key, or null for other keys. */
  public static String variantId(String key) {
    return key.startsWith(VARIANT) ? unescape(key.substring(key.lastIndexOf(':') + 1)) : null;
  }

  /**
   * The collection of the document a key guards, or null for a key that guards no one document. (The names are the
   * owning repositories' collections; LockKeysTest keeps them equal.)
   */
  public static String collectionOf(String key) {
    if (key.startsWith(VARIANT)) return "variants";
    if (key.startsWith(ORDER)) return "orders";
    if (key.startsWith(PURCHASE_ORDER)) return "purchase_orders";
    if (key.startsWith(RESERVATION)) return "reservations";
    if (key.startsWith(TRANSFER)) return "transfers";
    if (key.startsWith(PRODUCT)) return "products";
    if (key.startsWith(SUPPLIER)) return "suppliers";
    return null;
  }

  /** The id of the document a key guards (its last segment), or null for a key that guards no one document. */
  public static String documentId(String key) {
    return key.startsWith(DASHBOARD) ? null : unescape(key.substring(key.lastIndexOf(':') + 1));
  }

  /** Values kept by lock key ({@code fences}), by the id of the document each key guards; keys guarding none drop out. */
  public static <V> Map<String, V> byDocument(Map<String, V> byKey) {
    Map<String, V> byDocument = new HashMap<>();
    byKey.forEach((key, value) -> {
      String documentId = documentId(key);
      if (documentId != null) byDocument.put(documentId, value);
    });
    return byDocument;
  }

  static int rank(String key) {
    if (key.startsWith(VARIANT)) return 2;
    if (key.startsWith(ORDER) || key.startsWith(PURCHASE_ORDER) || key.startsWith(RESERVATION) || key.startsWith(TRANSFER)) return 1;
    return 0;
  }
}
