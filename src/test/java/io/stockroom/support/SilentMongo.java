package io.stockroom.support;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.io.IOException;
import java.net.ServerSocket;

/** A MongoDB address that takes connections (the kernel's backlog) and never answers, for clients with 400 ms timeouts. */
public final class SilentMongo implements AutoCloseable {
  public static final long TIMEOUT_MS = 400;
  private final ServerSocket socket = new ServerSocket(0);

  public SilentMongo() throws IOException {
  }

  public MongoClient client(Vertx vertx, String database) {
    return MongoClient.create(vertx, new JsonObject()
      .put("connection_string", "mongodb://127.0.0.1:" + socket.getLocalPort()).put("db_name", database)
      .put("serverSelectionTimeoutMS", TIMEOUT_MS).put("connectTimeoutMS", TIMEOUT_MS).put("socketTimeoutMS", TIMEOUT_MS));
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
