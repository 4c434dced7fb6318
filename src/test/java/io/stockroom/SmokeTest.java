package io.stockroom;

import io.stockroom.support.Res;
import io.stockroom.support.Session;
import io.stockroom.support.TestStack;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SmokeTest {
  @Test
  void signupThenMe() {
    TestStack stack = TestStack.get();
    Session s = stack.api.signup("Acme");
    Res me = stack.api.get("/api/v1/me", s.token());
    assertEquals(200, me.status(), me::toString);
    System.out.println(me);
  }
}
