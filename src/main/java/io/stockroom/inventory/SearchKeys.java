package io.stockroom.inventory;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The stored keys that let {@code GET /variants?q=} find a variant with one exact index lookup ({@code {tenantId, key,
 * _id}}): every prefix of a lowercased text, so that a prefix search is an equality on a multikey field (a range would
 * make the list's {@code _id} order a blocking sort). A variant keeps those of its SKU ({@link #sku}), a product those
 * of its name and of each of its words ({@link #name}).
 */
public final class SearchKeys {
  /** Longest SKU prefix kept (the contract's SKU maxLength): any SKU prefix can be searched. */
  public static final int SKU_PREFIXES = 64;
  /** Longest name or word prefix kept: a longer query finds SKUs only. */
  public static final int NAME_PREFIXES = 32;

  private SearchKeys() {
  }

  /** What a query searches for: trimmed and lowercased, as the keys are (null when there is nothing to search). */
  public static String query(String q) {
    if (q == null) return null;
    String normal = normal(q);
    return normal.isEmpty() ? null : normal;
  }

  /** Every prefix of the lowercased SKU. */
  public static List<String> sku(String sku) {
    Set<String> keys = new LinkedHashSet<>();
    prefixes(normal(sku), SKU_PREFIXES, keys);
    return List.copyOf(keys);
  }

  /** Every prefix of the lowercased name and of each of its words (letters and digits), up to {@link #NAME_PREFIXES}. */
  public static List<String> name(String name) {
    Set<String> keys = new LinkedHashSet<>();
    String normal = normal(name);
    prefixes(normal, NAME_PREFIXES, keys);
    for (String word : normal.split("[^\\p{L}\\p{N}]+")) prefixes(word, NAME_PREFIXES, keys);
    return List.copyOf(keys);
  }

  private static String normal(String text) {
    return text.trim().toLowerCase(Locale.ROOT);
  }

  private static void prefixes(String text, int max, Set<String> into) {
    int longest = Math.min(text.length(), max);
    for (int i = 1; i <= longest; i++) into.add(text.substring(0, i));
  }
}
