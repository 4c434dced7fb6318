package io.stockroom.platform.config;

import java.util.Locale;

/**
 * Every configuration key Stockroom reads, with its type, default and meaning. This enum is the single
 * source of truth: {@code conf/config.yaml} mirrors it, README documents it, and each key can be overridden by
 * the environment variable {@link #envName()} (e.g. {@code http.port} → {@code STOCKROOM_HTTP_PORT}).
 */
public enum ConfigKey {
  HTTP_HOST("http.host", Type.STRING, "",
    "Interface the HTTP server binds to; empty: 127.0.0.1 in embedded trial mode (no mongo.uri), else 0.0.0.0 (all, as "
      + "containers need)."),
  HTTP_PORT("http.port", Type.PORT, 8080, "HTTP port (API, health, OpenAPI document)."),
  MANAGEMENT_HOST("management.host", Type.STRING, "",
    "Interface the management server (metrics, probes) binds to; empty: as http.host's default (127.0.0.1 in embedded "
      + "trial mode, else 0.0.0.0)."),
  MANAGEMENT_PORT("management.port", Type.PORT, 9090,
    "Management port: Prometheus metrics at /metrics and the probes /health/live and /health/ready, on a server of its "
      + "own that the ingress never routes; 0: a free port. Must differ from http.port."),
  HTTP_INSTANCES("http.instances", Type.NON_NEGATIVE_INT, 0, "HTTP verticle instances; 0 means one per CPU core."),
  HTTP_BODY_LIMIT_BYTES("http.bodyLimitBytes", Type.POSITIVE_INT, 262_144, "Largest request body accepted; larger bodies get 413."),
  HTTP_REQUEST_TIMEOUT_MS("http.requestTimeoutMs", Type.POSITIVE_INT, 20_000,
    "A request not answered within this time gets 503; above bus.timeoutMs, so the service's own answer comes first."),
  HTTP_CORS_ALLOWED_ORIGINS("http.corsAllowedOrigins", Type.STRING, "",
    "Comma-separated browser origins (e.g. https://app.example.com) allowed to call the API cross-origin; empty: none."),
  HTTP_HSTS_MAX_AGE_SECONDS("http.hstsMaxAgeSeconds", Type.NON_NEGATIVE_INT, 0,
    "When the service is reached over TLS (at the ingress): Strict-Transport-Security max-age sent on every answer; 0: not sent."),
  HTTP_TRUST_FORWARDED_HEADERS("http.trustForwardedHeaders", Type.BOOLEAN, false,
    "Take the client address from Forwarded / X-Forwarded-For (only behind a proxy that overwrites them): it keys "
      + "per-address limits and the audit log's origin."),
  BRIDGE_ALLOWED_ORIGINS("bridge.allowedOrigins", Type.STRING, "",
    "Comma-separated browser origins (e.g. https://app.example.com) allowed to open the live-stock bridge besides the "
      + "service's own origin."),
  CLUSTER_ENABLED("cluster.enabled", Type.BOOLEAN, false,
    "Run clustered (Hazelcast): instances share the event bus, so live stock events reach every instance's browsers."),
  CLUSTER_NAME("cluster.name", Type.STRING, "stockroom",
    "Hazelcast cluster name: only members with the same name join each other (give each local or staging cluster on "
      + "shared hosts a name of its own)."),
  CLUSTER_MEMBERS("cluster.members", Type.STRING, "",
    "Comma-separated host[:port] of cluster members to join over TCP-IP (local clusters); empty with no Kubernetes DNS: 127.0.0.1."),
  CLUSTER_KUBERNETES_SERVICE_DNS("cluster.kubernetes.serviceDns", Type.STRING, "",
    "The headless Service's DNS name: selects Hazelcast's Kubernetes discovery in DNS mode (no RBAC needed)."),
  CLUSTER_HOST("cluster.host", Type.STRING, "",
    "The address this member binds and announces (the pod IP in Kubernetes); empty: Hazelcast picks an interface."),
  CLUSTER_PORT("cluster.port", Type.PORT, 5701, "Hazelcast member port (the next free one above it when taken)."),
  CLUSTER_EVENT_BUS_PORT("cluster.eventBusPort", Type.PORT, 0,
    "Port of the clustered event bus (fix it so NetworkPolicies can name it); 0: a free port."),
  CLUSTER_CONFIG_PATH("cluster.configPath", Type.STRING, "conf/hazelcast-cluster.xml",
    "Hazelcast XML configuration (read from the file system, else from the jar)."),
  METRICS_ENABLED("metrics.enabled", Type.BOOLEAN, true,
    "Prometheus metrics at /metrics on the management port: HTTP server, event bus, pools, JVM and Stockroom's domain meters."),
  SHUTDOWN_DRAIN_MS("shutdown.drainMs", Type.POSITIVE_INT, 20_000,
    "On SIGTERM: readiness goes DOWN, new requests get 503, and accepted ones get this long to finish before the instance stops."),
  VERTX_EVENT_LOOPS("vertx.eventLoops", Type.NON_NEGATIVE_INT, 0,
    "Event-loop threads; 0 means Vert.x's default, two per CPU core."),
  BUS_TIMEOUT_MS("bus.timeoutMs", Type.POSITIVE_INT, 15_000,
    "Event-bus request timeout between HTTP and service verticles; a unit of work's deadline is at most this long after "
      + "its request arrived."),
  MONGO_URI("mongo.uri", Type.STRING, "", "MongoDB connection string; empty starts the embedded in-process server (trial use only)."),
  EMBEDDED_DATA_DIR("embedded.dataDir", Type.STRING, "data/embedded",
    "Embedded mode (no mongo.uri): the directory of the MongoDB stand-in's data file, kept across restarts and off the "
      + "heap (relative to the working directory); memory: in the heap, lost on exit."),
  MONGO_DATABASE("mongo.database", Type.STRING, "stockroom", "MongoDB database name."),
  MONGO_TIMEOUT_MS("mongo.timeoutMs", Type.POSITIVE_INT, 13_000,
    "Every MongoDB operation ends within this long: server selection, the wait for a pooled connection and the server's "
      + "own work (maxTimeMS on every command). Below bus.timeoutMs and long enough to ride out an election (10-12 s)."),
  MONGO_SERVER_SELECTION_TIMEOUT_MS("mongo.serverSelectionTimeoutMs", Type.POSITIVE_INT, 30_000,
    "Longest wait for a primary (an election takes 10-12 s). An operation waits at most what is left of mongo.timeoutMs, "
      + "so in the service that is the tighter bound; migrate, whose operations may take an hour, waits this long."),
  SCHEMA_MIGRATE_ON_START("schema.migrateOnStart", Type.MIGRATE_ON_START, "auto",
    "auto: an embedded or dev-stores MongoDB is migrated at start, a real one only checked; always: also create what is "
      + "missing on a real server, building indexes only on empty collections; never: only check. A database that does not "
      + "match the schema keeps readiness DOWN until `java -jar stockroom.jar migrate` has run."),
  MONGO_TLS_CA_FILE("mongo.tls.caFile", Type.STRING, "",
    "PEM file of the CA certificates the MongoDB servers' certificates chain to (a private CA); set, it turns TLS on. "
      + "Empty: the connection string decides (tls=true; mongodb+srv:// implies it) and the JVM's trusted CAs apply."),
  MONGO_POOL_SIZE("mongo.poolSize", Type.POSITIVE_INT, 100, "Connections of the process's one MongoDB pool, per server."),
  MONGO_TRANSACTIONS("mongo.transactions", Type.TRANSACTION_MODE, "auto",
    "auto: multi-document transactions when the server supports them, else compensating units; required: refuse to "
      + "start without transactions (production); off: always compensating units."),
  REDIS_TYPE("redis.type", Type.REDIS_TYPE, "standalone",
    "Redis topology: standalone (one server), sentinel (redis.uri lists the sentinels) or cluster (redis.uri lists seed nodes)."),
  REDIS_URI("redis.uri", Type.STRING, "",
    "Comma-separated Redis endpoints (redis://host:port or host:port; rediss:// for TLS); empty starts a private embedded "
      + "redis-server (standalone only, trial use only)."),
  REDIS_TLS_CA_FILE("redis.tls.caFile", Type.STRING, "",
    "PEM file of the CA certificates the Redis servers' certificates chain to (a private CA), for rediss:// endpoints; "
      + "empty: the JVM's trusted CAs."),
  REDIS_TLS_VERIFY_HOSTNAME("redis.tls.verifyHostname", Type.BOOLEAN, true,
    "rediss:// only: the server's certificate must name the endpoint's host. Turn off only where a provider's "
      + "certificates name no host you can connect by; the CA is still checked."),
  REDIS_MASTER_NAME("redis.masterName", Type.STRING, "mymaster", "Sentinel only: the name of the monitored master set."),
  REDIS_COMMAND_TIMEOUT_MS("redis.commandTimeoutMs", Type.POSITIVE_INT, 1_000,
    "Every Redis command fails after this long, so a Redis that hangs gives fast 503s like one that is down."),
  JWT_ALGORITHM("jwt.algorithm", Type.JWT_ALGORITHM, "HS256", "Signing algorithm: HS256, ES256 or RS256. Tokens with any other alg are refused."),
  JWT_HMAC_SECRET("jwt.hmacSecret", Type.STRING, "", "HS256 secret (at least 32 bytes). Generated at start in embedded mode only."),
  JWT_PRIVATE_KEY_PATH("jwt.privateKeyPath", Type.STRING, "", "ES256/RS256: PKCS#8 PEM private key file used to sign tokens."),
  JWT_PUBLIC_KEY_PATH("jwt.publicKeyPath", Type.STRING, "", "ES256/RS256: SPKI PEM public key file used to verify tokens."),
  JWT_ISSUER("jwt.issuer", Type.STRING, "stockroom", "The iss claim issued and required."),
  JWT_AUDIENCE("jwt.audience", Type.STRING, "stockroom-api", "The aud claim issued and required."),
  JWT_TTL_SECONDS("jwt.ttlSeconds", Type.POSITIVE_INT, 900, "Access-token lifetime; also the longest a deactivated user's token keeps working."),
  JWT_KEY_ID("jwt.keyId", Type.STRING, "k1", "The kid of the signing key, written in every token's header."),
  JWT_VERIFY_KEYS("jwt.verifyKeys", Type.STRING, "",
    "Other keys that still verify tokens (key rotation), comma-separated kid=value: the HMAC secret for HS256, a "
      + "public-key PEM file path for ES256/RS256."),
  JWT_REFRESH_TTL_SECONDS("jwt.refreshTtlSeconds", Type.POSITIVE_INT, 2_592_000,
    "Refresh-token lifetime (each refresh rotates the token; the session ends after this long without one)."),
  AUTH_BCRYPT_COST("auth.bcryptCost", Type.BCRYPT_COST, 12, "bcrypt work factor for password hashes (4-31)."),
  AUTH_HASHING_THREADS("auth.hashingThreads", Type.POSITIVE_INT, 1,
    "Threads that hash and check passwords (a pool of their own, so logins cannot starve the rest of the API)."),
  AUTH_HASHING_QUEUE("auth.hashingQueue", Type.POSITIVE_INT, 32,
    "Password checks that may wait for a hashing thread; more get 503 with Retry-After at once."),
  AUTH_LOCKOUT_FAILURES("auth.lockoutFailures", Type.POSITIVE_INT, 5,
    "Failed logins of one account before it is locked for auth.lockoutSeconds (each failure before that adds a delay)."),
  AUTH_ADDRESS_LOCKOUT_FAILURES("auth.addressLockoutFailures", Type.POSITIVE_INT, 50,
    "Failed logins from one client address before that address is locked for auth.lockoutSeconds."),
  AUTH_LOCKOUT_SECONDS("auth.lockoutSeconds", Type.POSITIVE_INT, 900,
    "How long a locked account or address is refused; failures are forgotten this long after the last one."),
  RATE_LIMITS_ENABLED("rateLimits.enabled", Type.BOOLEAN, true, "Token-bucket rate limits (kept in Redis, shared by all instances)."),
  RATE_LIMITS_TENANT_PER_SECOND("rateLimits.tenantPerSecond", Type.POSITIVE_INT, 200,
    "Requests per second one tenant may send (all its users together)."),
  RATE_LIMITS_USER_PER_SECOND("rateLimits.userPerSecond", Type.POSITIVE_INT, 50, "Requests per second one user may send."),
  RATE_LIMITS_ADDRESS_PER_MINUTE("rateLimits.addressPerMinute", Type.POSITIVE_INT, 120,
    "Unauthenticated requests (sign-up, login, refresh, logout, keys) per minute from one client address."),
  RATE_LIMITS_LOGIN_PER_MINUTE("rateLimits.loginPerMinute", Type.POSITIVE_INT, 10,
    "Login and sign-up attempts per minute for one account (email)."),
  RATE_LIMITS_TENANT_OVERRIDES("rateLimits.tenantOverrides", Type.STRING, "",
    "Per-tenant limits, comma-separated tenantId=tenantPerSecond[/userPerSecond] (e.g. 65f0...=1000/200)."),
  RATE_LIMITS_LEASE_PERCENT("rateLimits.leasePercent", Type.NON_NEGATIVE_INT, 10,
    "Share of a bucket's quota (at least 1 token) each HTTP verticle leases from Redis per call for authenticated and "
      + "logout/keys requests; a limit may then be exceeded by at most (HTTP verticles in the cluster) x lease. 0: every "
      + "request asks Redis (exact across instances)."),
  RATE_LIMITS_LEASE_KEYS("rateLimits.leaseKeys", Type.POSITIVE_INT, 10_000,
    "Buckets one HTTP verticle keeps leases for; past it the oldest lease goes back to Redis."),
  LOCKS_TTL_MS("locks.ttlMs", Type.POSITIVE_INT, 30_000, "Redis lock lifetime; above the slowest unit of work."),
  LOCKS_WAIT_MS("locks.waitMs", Type.POSITIVE_INT, 8_000, "How long a request queues for a busy variant before 503."),
  LOCKS_MAX_WAITERS("locks.maxWaiters", Type.POSITIVE_INT, 512,
    "Most requests that may wait for one variant per service instance; more get 503 with Retry-After at once."),
  IDEMPOTENCY_RETENTION_HOURS("idempotency.retentionHours", Type.RETENTION_HOURS, 48,
    "How long Idempotency-Key records are kept (at least 24)."),
  WEBHOOKS_ALLOW_PRIVATE_TARGETS("webhooks.allowPrivateTargets", Type.BOOLEAN, false,
    "Allow webhook URLs that resolve to private or loopback addresses (tests, trusted networks only); link-local and "
      + "cloud metadata addresses stay refused."),
  WEBHOOKS_TIMEOUT_MS("webhooks.timeoutMs", Type.POSITIVE_INT, 10_000,
    "How long one webhook delivery attempt may take (connect and answer) before it counts as failed."),
  WEBHOOKS_LEDGER_LAG_MS("webhooks.ledgerLagMs", Type.POSITIVE_INT, 90_000,
    "How long after a stock movement was recorded the webhook dispatcher counts it as final (its cursor moves past it "
      + "only then; events still go out at once): longer than any unit of work can run (bus.timeoutMs, locks.waitMs + "
      + "locks.ttlMs; MongoDB aborts a transaction after 60 s), with room for clock differences between instances."),
  IMPORTS_MAX_BYTES("imports.maxBytes", Type.POSITIVE_INT, 8_388_608, "Largest import file accepted; larger ones get 413."),
  IMPORTS_MAX_ROWS("imports.maxRows", Type.POSITIVE_INT, 20_000, "Most rows one import job may have (header excluded)."),
  IMPORTS_MAX_RUNNING_PER_TENANT("imports.maxRunningPerTenant", Type.POSITIVE_INT, 2,
    "Import jobs one tenant may have running at once; another one gets 409 until one ends."),
  TESTING_FAILPOINTS("testing.failpoints", Type.BOOLEAN, false,
    "Test-only fault injection. Settable only by an embedding test harness, never by file, property or environment.",
    true),
  TESTING_RERUN_UNITS("testing.rerunUnits", Type.BOOLEAN, false,
    "Test-only rerun mode: every compensating unit runs twice, its first run completely undone, as a retried transaction "
      + "is. Settable only by an embedding test harness.", true);

  public enum Type { STRING, PORT, POSITIVE_INT, NON_NEGATIVE_INT, BOOLEAN, JWT_ALGORITHM, BCRYPT_COST, TRANSACTION_MODE,
    RETENTION_HOURS, MIGRATE_ON_START, REDIS_TYPE }

  public static final String ENV_PREFIX = "STOCKROOM_";

  private final String key;
  private final Type type;
  private final Object defaultValue;
  private final String description;
  private final boolean explicitOnly;
  private final String envName;

  ConfigKey(String key, Type type, Object defaultValue, String description) {
    this(key, type, defaultValue, description, false);
  }

  ConfigKey(String key, Type type, Object defaultValue, String description, boolean explicitOnly) {
    this.key = key;
    this.type = type;
    this.defaultValue = defaultValue;
    this.description = description;
    this.explicitOnly = explicitOnly;
    this.envName = ENV_PREFIX + key.replace('.', '_').replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }

  /** True for keys a deployed service can never set (file, properties and environment are ignored for them). */
  public boolean explicitOnly() { return explicitOnly; }

  public String key() { return key; }
  public Type type() { return type; }
  public Object defaultValue() { return defaultValue; }
  public String description() { return description; }

  /** {@code jwt.hmacSecret} → {@code STOCKROOM_JWT_HMAC_SECRET}. */
  public String envName() {
    return envName;
  }
}
