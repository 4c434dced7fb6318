package io.stockroom.auth;

import io.stockroom.platform.bus.BusRequest;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.Invocation;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.security.Role;
import io.stockroom.platform.mongo.RecordCodec;

/** The commands of {@link UserAdminService}, each parsed once from its request (validated by the contract). */
public final class UserCommands {
  private static final String USER_ID = "userId";

  private UserCommands() {
  }

  public record CreateUser(Invocation by, NewAccount account, Role role) {
    public CreateUser {
      if (role == null) throw new ServiceError(ErrorCode.VALIDATION, "A user needs a role: OWNER, MANAGER or STAFF");
    }

    static CreateUser from(BusRequest request) {
      return new CreateUser(request.invocation(), NewAccount.from(request.body()), roleIn(Body.of(request).role()));
    }
  }

  /** A partial change by the contract's {@code UserPatch}: a field not given is null and stays as it is. */
  public record ChangeUser(Invocation by, String userId, String name, Role role, Boolean active) {
    public ChangeUser {
      if (name == null && role == null && active == null) {
        throw new ServiceError(ErrorCode.VALIDATION, "Name at least one field to change");
      }
      if (name != null) name = name.trim();
    }

    static ChangeUser from(BusRequest request) {
      Body body = Body.of(request);
      return new ChangeUser(request.invocation(), request.pathParam(USER_ID), body.name(), roleIn(body.role()), body.active());
    }

    /** The deactivation endpoint's change: the user stays, inactive. */
    static ChangeUser deactivation(BusRequest request) {
      return new ChangeUser(request.invocation(), request.pathParam(USER_ID), null, null, false);
    }
  }

  /** The fields of a {@code UserCreate} or {@code UserPatch} body besides the account: each optional here. */
  private record Body(String name, String role, Boolean active) {
    static Body of(BusRequest request) {
      return RecordCodec.api(Body.class).decode(request.body());
    }
  }

  /** The body's role; null when not given, a 400 when it names none. */
  private static Role roleIn(String text) {
    Role role = Role.parse(text);
    if (text != null && role == null) throw new ServiceError(ErrorCode.VALIDATION, "role must be OWNER, MANAGER or STAFF");
    return role;
  }
}
