package io.stockroom.auth;

import io.stockroom.platform.bus.BusRequest;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.Invocation;
import io.stockroom.platform.bus.ServiceError;
import io.vertx.core.json.JsonObject;

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

  /** A new tenant and its first OWNER; currency and time zone default to EUR and UTC. */
  public record SignUp(Invocation by, String tenantName, NewAccount owner, String currency, String timezone) {
    public SignUp {
      tenantName = tenantName.trim();
      currency = currency(currency);
      timezone = timezone(timezone);
    }

    static SignUp from(BusRequest request) {
      JsonObject body = request.body();
      return new SignUp(request.invocation(), body.getString("tenantName"), NewAccount.from(body), body.getString("currency", "EUR"),
        body.getString("timezone", "UTC"));
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

    static LogIn from(BusRequest request) {
      JsonObject body = request.body();
      return new LogIn(request.invocation(), body.getString("email"), body.getString("password"), body.getString("tenantId"));
    }

    @Override
    public String toString() {
      return "LogIn[tenantId=" + tenantId + "]";
    }
  }

  public record Refresh(Invocation by, String refreshToken) {
    static Refresh from(BusRequest request) {
      return new Refresh(request.invocation(), request.body().getString("refreshToken"));
    }

    @Override
    public String toString() {
      return "Refresh[]";
    }
  }

  public record LogOut(Invocation by, String refreshToken) {
    static LogOut from(BusRequest request) {
      return new LogOut(request.invocation(), request.body().getString("refreshToken"));
    }

    @Override
    public String toString() {
      return "LogOut[]";
    }
  }
}
