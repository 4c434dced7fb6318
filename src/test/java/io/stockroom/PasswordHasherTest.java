package io.stockroom;

import io.stockroom.auth.PasswordHasher;
import io.stockroom.platform.bus.ErrorCode;
import io.stockroom.platform.bus.ServiceError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordHasherTest {

  @Test
  @DisplayName("password hashing runs on a bounded pool: past its waiting line requests get 503 with Retry-After at once")
  void boundedPool() {
    Vertx vertx = Vertx.vertx();
    try {
      PasswordHasher hasher = PasswordHasher.create(vertx, 10, 1, 2).await();
      List<Future<String>> hashes = new ArrayList<>();
      for (int i = 0; i < 12; i++) hashes.add(hasher.hash("password " + i));
      Future.join(new ArrayList<>(hashes)).otherwiseEmpty().await();
      long done = hashes.stream().filter(Future::succeeded).count();
      List<Throwable> refused = hashes.stream().filter(Future::failed).map(Future::cause).toList();
      assertEquals(3, done, "one running and two waiting");
      assertEquals(9, refused.size());
      for (Throwable cause : refused) {
        ServiceError error = (ServiceError) cause;
        assertEquals(ErrorCode.UNAVAILABLE, error.code());
        assertEquals(1, error.extensions().getInteger("retryAfterSeconds"));
      }
      assertTrue(hasher.verify("password 0", hashes.get(0).result()).await(), "the pool works again once drained");
      assertFalse(hasher.verify("password 1", hashes.get(0).result()).await(), "a wrong password");
      assertFalse(hasher.verify("password 0", null).await(), "an unknown user, checked against a hash no password matches");
    } finally {
      vertx.close().await();
    }
  }
}
