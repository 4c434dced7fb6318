package io.stockroom.platform.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Reads {@code conf/config.yaml} (or the file named by {@code STOCKROOM_CONFIG}), the environment and system
 * properties with vertx-config, then validates them into {@link Settings}.
 */
public final class ConfigLoader {
  public static final String CONFIG_PATH_ENV = "STOCKROOM_CONFIG";
  private static final String DEFAULT_PATH = "conf/config.yaml";

  private ConfigLoader() {
  }

  public static Future<Settings> load(Vertx vertx, JsonObject explicitOverrides) {
    String path = System.getenv().getOrDefault(CONFIG_PATH_ENV, DEFAULT_PATH);
    ConfigStoreOptions file = new ConfigStoreOptions().setType("file").setFormat("yaml")
      .setOptional(!System.getenv().containsKey(CONFIG_PATH_ENV))
      .setConfig(new JsonObject().put("path", path));
    ConfigRetriever fileRetriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions()
      .setIncludeDefaultStores(false).addStore(file));
    ConfigRetriever envRetriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions()
      .setIncludeDefaultStores(false)
      .addStore(new ConfigStoreOptions().setType("env").setConfig(new JsonObject().put("raw-data", true))));
    ConfigRetriever sysRetriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions()
      .setIncludeDefaultStores(false)
      .addStore(new ConfigStoreOptions().setType("sys").setConfig(new JsonObject().put("raw-data", true))));

    return Future.all(
        fileRetriever.getConfig(),
        envRetriever.getConfig(),
        sysRetriever.getConfig())
      .eventually(() -> {
        fileRetriever.close();
        envRetriever.close();
        sysRetriever.close();
        return Future.succeededFuture();
      })
      .recover(err -> Future.failedFuture(new ConfigException("Cannot read configuration file " + path + ": " + err.getMessage())))
      .compose(all -> {
        try {
          return Future.succeededFuture(Settings.resolve(all.resultAt(0), all.resultAt(1), all.resultAt(2),
            explicitOverrides == null ? new JsonObject() : explicitOverrides));
        } catch (ConfigException e) {
          return Future.failedFuture(e);
        }
      });
  }

}
