package io.stockroom.platform.money;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Money is an integer number of minor units of the tenant's currency. Unit amounts (a price, a unit cost) are bounded
 * by the contract (at most 10^12) and travel as JSON integers. Every amount that multiplies or sums them (line totals,
 * order and purchase-order values, variances, inventory value, revenue) is computed exactly with {@link BigInteger},
 * stored in MongoDB as Decimal128 (34 digits, so {@code $inc} stays exact) and sent to clients as a JSON string of
 * digits, because it can exceed 2^53, beyond which JavaScript numbers lose precision.
 */
public final class Amounts {
  private Amounts() {
  }

  /**
   * An amount as stored: Decimal128 as the Mongo client reads it (BigDecimal) or as extended JSON
   * ({@code {"$numberDecimal": "..."}}, from the transactional runner), a legacy integer, or zero when absent.
   */
  public static BigInteger of(Object stored) {
    if (stored == null) return BigInteger.ZERO;
    if (stored instanceof BigDecimal decimal) return decimal.toBigIntegerExact();
    if (stored instanceof BigInteger integer) return integer;
    if (stored instanceof Long || stored instanceof Integer || stored instanceof Short) return BigInteger.valueOf(((Number) stored).longValue());
    if (stored instanceof String text) return new BigInteger(text);
    if (stored instanceof io.vertx.core.json.JsonObject extended && extended.containsKey("$numberDecimal")) {
      return new BigDecimal(extended.getString("$numberDecimal")).toBigIntegerExact();
    }
    throw new IllegalArgumentException("Not an exact amount: " + stored.getClass().getSimpleName());
  }

  /** {@code unitAmount × quantity}, exactly. */
  public static BigInteger times(long unitAmount, long quantity) {
    return BigInteger.valueOf(unitAmount).multiply(BigInteger.valueOf(quantity));
  }

  /** The stored form: Decimal128 (the Mongo client writes a BigDecimal as Decimal128). */
  public static BigDecimal stored(BigInteger amount) {
    return new BigDecimal(amount);
  }

  /** The API form: the digits, as a string. */
  public static String api(BigInteger amount) {
    return amount.toString();
  }
}
