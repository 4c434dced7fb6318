package io.stockroom.platform.security;

import java.util.EnumSet;
import java.util.Set;

/** A user's role within its tenant. What each role may call is declared once, in {@code api.Operation}. */
public enum Role {
  OWNER, MANAGER, STAFF;

  public static final Set<Role> ANY = EnumSet.allOf(Role.class);
  public static final Set<Role> OWNER_ONLY = EnumSet.of(OWNER);
  public static final Set<Role> MANAGER_UP = EnumSet.of(OWNER, MANAGER);

  /** @return the role, or null when the text names none */
  public static Role parse(String text) {
    if (text == null) return null;
    for (Role r : values()) if (r.name().equals(text)) return r;
    return null;
  }
}
