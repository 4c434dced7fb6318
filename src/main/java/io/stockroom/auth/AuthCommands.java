package io.stockroom.auth;

import io.stockroom.platform.bus.BusRequest;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.Invocation;
import io.stockroom.platform.bus.ServiceError;
import io.stockroom.platform.mongo.RecordCodec;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Currency;

/**
 * The commands of {@link AuthService}, each parsed once from its request (validated by the contract). They come from
 * public operations: their invocation has no caller, only the client's address and the request's id.
 */
public final class AuthCommands {
  private AuthCommands() {
  }

  /** The body of a refresh or a logout: the refresh token. */
  private record TokenBody(String refreshToken) {
    static TokenBody of(BusRequest request) {
      return RecordCodec.api(TokenBody.class).decode(request.body());
    }

    @Override
    public String toString() {
      return "TokenBody[]";
    }
  }

  /**
   * The gateway's question whether a session still holds ({@code io.stockroom.api.Sessions}): the token version the
   * access token carries (0 when not given).
   */
  public record CheckSession(long tokenVersion) {
    static CheckSession from(BusRequest request) {
      return RecordCodec.api(CheckSession.class).decode(request.body());
    }
  }

  /** A new tenant and its first OWNER; currency and time zone default to EUR and UTC. */
  public record SignUp(Invocation by, String tenantName, NewAccount owner, String currency, String timezone) {
    public SignUp {
      tenantName = tenantName.trim();
      currency = currency(currency);
      timezone = timezone(timezone);
    }

    static final String DEFAULT_CURRENCY = "EUR";
    static final String DEFAULT_TIMEZONE = "UTC";

    /** The tenant's fields of a {@code SignupRequest}; the owner's are its {@link NewAccount}. */
    private record Body(String tenantName, String currency, String timezone) {
    }

    static SignUp from(BusRequest request) {
      Body body = RecordCodec.api(Body.class).decode(request.body());
      return new SignUp(request.invocation(), body.tenantName(), NewAccount.from(request.body()),
        body.currency() == null ? DEFAULT_CURRENCY : body.currency(), body.timezone() == null ? DEFAULT_TIMEZONE : body.timezone());
    }

    private static String currency(String code) {
      try {
        return Currency.getInstance(code).getCurrencyCode();
      } catch (IllegalArgumentException e) {
        throw new ServiceError(ErrorCode.VALIDATION, "currency must be an ISO 4217 code such as EUR or USD");
      }
    }

    private static String timezone(String zone) {
      try {
        return ZoneId.of(zone).getId();
      } catch (DateTimeException e) {
        throw new ServiceError(ErrorCode.VALIDATION, "timezone must be an IANA zone such as Europe/Berlin or UTC");
      }
    }
  }

  /** {@code tenantId} (optional) picks one account when the credentials open several. */
  public record LogIn(Invocation by, String email, String password, String tenantId) {
    public LogIn {
      email = NewAccount.normaliseEmail(email);
    }

    private record Body(String email, String password, String tenantId) {
      @Override
      public String toString() {
        return "LogIn.Body[tenantId=" + tenantId + "]";
      }
    }

    static LogIn from(BusRequest request) {
      Body body = RecordCodec.api(Body.class).decode(request.body());
      return new LogIn(request.invocation(), body.email(), body.password(), body.tenantId());
    }

    @Override
    public String toString() {
      return "LogIn[tenantId=" + tenantId + "]";
    }
  }

  public record Refresh(Invocation by, String refreshToken) {
    static Refresh from(BusRequest request) {
      return new Refresh(request.invocation(), TokenBody.of(request).refreshToken());
    }

    @Override
    public String toString() {
      return "Refresh[]";
    }
  }

  public record LogOut(Invocation by, String refreshToken) {
    static LogOut from(BusRequest request) {
      return new LogOut(request.invocation(), TokenBody.of(request).refreshToken());
    }

    @Override
    public String toString() {
      return "LogOut[]";
    }
  }
}
