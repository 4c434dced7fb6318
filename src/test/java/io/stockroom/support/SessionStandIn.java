package io.stockroom.support;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;

import java.net.InetSocketAddress;

/**
 * The embedded stand-in dressed as a replica-set primary, so that the driver opens sessions and sends transactions
 * to it and a command listener sees every command the transactional runner sends. Nothing more: each write applies at
 * once, {@code commitTransaction} answers ok and {@code abortTransaction} answers ok without undoing anything. For
 * tests of what is sent, never of isolation or rollback.
 */
public final class SessionStandIn implements AutoCloseable {
  private final MongoServer server = new MongoServer(new ReplicaSetDress().version(ServerVersion.MONGO_5_0));
  private final String uri;

  public SessionStandIn() {
    InetSocketAddress address = server.bind();
    uri = "mongodb://" + address.getHostString() + ":" + address.getPort();
  }

  public String uri() {
    return uri;
  }

  @Override
  public void close() {
    server.shutdownNow();
  }

  private static final class ReplicaSetDress extends MemoryBackend {
    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
      if (command.equals("commitTransaction") || command.equals("abortTransaction")) return new Document("ok", 1.0);
      Document reply = super.handleCommand(channel, database, command, query);
      if (command.equalsIgnoreCase("isMaster") || command.equals("hello")) {
        reply.put("setName", "stand-in");
        reply.put("logicalSessionTimeoutMinutes", 30);
      }
      return reply;
    }
  }
}
