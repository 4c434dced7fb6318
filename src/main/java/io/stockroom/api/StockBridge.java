package io.stockroom.api;

import io.stockroom.auth.InvalidToken;
import io.stockroom.platform.metrics.Meters;

import io.stockroom.platform.security.Caller;
import io.stockroom.inventory.StockEvents;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The SockJS event-bus bridge for browsers, deny by default: nothing may be sent or published inbound, and only
 * {@code stock.<tenantId>} addresses flow outbound. A client registers to its tenant's address with its JWT in the
 * register message's {@code token} header; the token is verified with the same rules as the HTTP API and must belong
 * to that tenant, else the registration is refused. Sockets from an Origin that is neither the service's own nor in
 * {@code bridge.allowedOrigins} are refused, and a socket is closed when the token it registered with expires. An
 * expired token is told apart: the client receives the error frame {@code {"type":"err","body":"token_expired"}}
 * before the refusal ({@code rejected}) or the close, and registers again after refreshing its session.
 */
public final class StockBridge {
  private static final Logger LOG = LoggerFactory.getLogger(StockBridge.class);
  /** The bridge protocol's error frame, with a body clients can tell from the bridge's own {@code rejected}. */
  static final String TOKEN_EXPIRED_FRAME = new JsonObject().put("type", "err").put("body", "token_expired").encode();

  private final Vertx vertx;
  private final JWTAuth jwt;
  private final Sessions sessions;
  private final Set<String> allowedOrigins;
  private final Map<SockJSSocket, Long> expiryTimers = new HashMap<>();
  private final Set<SockJSSocket> openSockets = new HashSet<>();

  public StockBridge(Vertx vertx, JWTAuth jwt, Sessions sessions, String allowedOrigins) {
    this.vertx = vertx;
    this.jwt = jwt;
    this.sessions = sessions;
    this.allowedOrigins = Arrays.stream(allowedOrigins.split(",")).map(String::trim).filter(s -> !s.isEmpty())
      .collect(Collectors.toSet());
  }

  public Router router() {
    SockJSBridgeOptions options = new SockJSBridgeOptions()
      .addOutboundPermitted(new PermittedOptions().setAddressRegex(java.util.regex.Pattern.quote(StockEvents.ADDRESS_PREFIX) + "[0-9a-f]{24}"));
    return SockJSHandler.create(vertx).bridge(options, this::handle);
  }

  private void handle(BridgeEvent event) {
    switch (event.type()) {
      case SOCKET_CREATED -> {
        boolean allowed = originAllowed(event.socket());
        if (allowed && openSockets.add(event.socket())) Meters.bridgeSockets(1);
        event.complete(allowed);
      }
      case SOCKET_CLOSED -> {
        if (openSockets.remove(event.socket())) Meters.bridgeSockets(-1);
        Long timer = expiryTimers.remove(event.socket());
        if (timer != null) vertx.cancelTimer(timer);
        event.complete(true);
      }
      case REGISTER -> authorizeRegistration(event);
      case SEND, PUBLISH -> event.complete(false);
      default -> event.complete(true);
    }
  }

  private void authorizeRegistration(BridgeEvent event) {
    JsonObject message = event.getRawMessage();
    String address = message.getString("address");
    JsonObject headers = message.getJsonObject("headers");
    String token = headers == null ? null : headers.getString("token");
    if (token == null || address == null) {
      event.complete(false);
      return;
    }
    jwt.authenticate(new TokenCredentials(token))
      .compose(user -> {
        Caller caller = Authorizer.caller(user);
        if (caller == null || !address.equals(StockEvents.address(caller.tenantId()))) return Future.succeededFuture(false);
        return sessions.check(caller, Authorizer.claims(user)).map(current -> {
          closeAtExpiry(event.socket(), Authorizer.claims(user).getLong("exp"));
          return true;
        });
      })
      .onSuccess(event::complete)
      .onFailure(err -> {
        if (err instanceof InvalidToken refused && refused.isExpiry()) tellExpired(event.socket());
        event.complete(false);
      });
  }

  /** Ahead of the bridge's own refusal or the close: the client refreshes its session instead of giving up. */
  private static void tellExpired(SockJSSocket socket) {
    socket.write(TOKEN_EXPIRED_FRAME);
  }

  /**
   * The bridge owns the socket's close handler (it unregisters the socket's consumers and ping timer there), so the
   * expiry timer is cancelled from the SOCKET_CLOSED bridge event instead of a close handler of our own.
   */
  private void closeAtExpiry(SockJSSocket socket, long expiresAtSeconds) {
    long delay = Math.max(1, expiresAtSeconds * 1000 - System.currentTimeMillis());
    long timer = vertx.setTimer(delay, id -> {
      expiryTimers.remove(socket);
      tellExpired(socket);
      socket.close();
    });
    Long previous = expiryTimers.put(socket, timer);
    if (previous != null) vertx.cancelTimer(previous);
  }

  /** Sockets with an expiry timer (for tests: returns to its baseline once sockets close). */
  public int trackedSockets() {
    return expiryTimers.size();
  }

  private boolean originAllowed(SockJSSocket socket) {
    String origin = socket.headers().get("Origin");
    if (origin == null || allowedOrigins.contains(origin)) return true;
    try {
      String host = socket.headers().get("Host");
      URI uri = URI.create(origin);
      String originHost = uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
      boolean same = host != null && (host.equalsIgnoreCase(originHost) || host.equalsIgnoreCase(uri.getHost()));
      if (!same) LOG.info("Refused a bridge socket from origin {}", origin);
      return same;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
