package io.stockroom.platform.embedded.standin;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import org.h2.mvstore.MVStore;

import java.time.Clock;
import java.time.Instant;

/** H2's MongoDB backend with {@link StandInDatabase}s: every declared index kept and used, TTL indexes enforced. */
final class StandInBackend extends H2Backend {
  StandInBackend(MVStore store) {
    super(store, Clock.systemUTC());
  }

  @Override
  protected MongoDatabase openOrCreateDatabase(String databaseName) {
    return new StandInDatabase(databaseName, getMvStore(), getCursorRegistry());
  }

  /** One pass of the TTL monitor over every database: answers how many expired documents it removed. */
  long removeExpired() {
    Instant now = getClock().instant();
    long removed = 0;
    for (String name : listDatabaseNames()) {
      if (resolveDatabase(name) instanceof StandInDatabase database) removed += database.removeExpired(now);
    }
    return removed;
  }
}
