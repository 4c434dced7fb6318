package io.stockroom.bulk;

import io.stockroom.platform.mongo.ExplicitNull;
import io.stockroom.platform.mongo.Key;
import io.stockroom.platform.mongo.Mongo;
import io.stockroom.platform.mongo.RecordCodec;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * An import job, stored in {@code import_jobs} by {@link ImportJobs}: {@code errors} holds the first
 * {@link #MAX_ERRORS}; the instance running a RUNNING job moves {@code leaseUntil} on with its progress; {@code failure}
 * says why a FAILED one stopped. The cap's slot ({@code TenantSlots}) is the repository's, not the record's.
 */
record ImportJob(@Key("_id") String id, String tenantId, Status status, String format, int total, int done, int applied,
                 int failed, List<ImportError> errors, @ExplicitNull String createdBy, Instant createdAt, Instant finishedAt,
                 Instant leaseUntil, String failure) {
  static final String STATUS = "status";
  static final String ERRORS = "errors";
  static final String LEASE_UNTIL = "leaseUntil";
  static final int MAX_ERRORS = 1_000;
  static final long LEASE_MS = 60_000;

  enum Status { RUNNING, COMPLETED, FAILED }

  /** A RUNNING job of {@code total} rows, nothing done yet, leased for {@link #LEASE_MS}. */
  static ImportJob start(String tenantId, String format, int total, String userId) {
    Instant now = Instant.now();
    return new ImportJob(Mongo.newId(), tenantId, Status.RUNNING, format, total, 0, 0, 0, List.of(), userId,
      now.truncatedTo(ChronoUnit.MILLIS), null, leaseFrom(now), null);
  }

  static Instant leaseFrom(Instant now) {
    return now.plusMillis(LEASE_MS);
  }

  /** The job after one more row: applied (error null), or failed with {@code error} (kept while under {@link #MAX_ERRORS}). */
  ImportJob afterRow(ImportError error) {
    if (error == null) {
      return new ImportJob(id, tenantId, status, format, total, done + 1, applied + 1, failed, errors, createdBy, createdAt, finishedAt,
        leaseUntil, failure);
    }
    List<ImportError> kept = errors;
    if (errors.size() < MAX_ERRORS) {
      kept = new ArrayList<>(errors);
      kept.add(error);
      kept = List.copyOf(kept);
    }
    return new ImportJob(id, tenantId, status, format, total, done + 1, applied, failed + 1, kept, createdBy, createdAt, finishedAt,
      leaseUntil, failure);
  }

  static ImportJob fromDocument(JsonObject doc) {
    return RecordCodec.fromDocument(ImportJob.class, doc);
  }

  JsonObject toDocument() {
    return RecordCodec.toDocument(this);
  }

  /** What is set while the job runs: its progress, the lease moved on. */
  JsonObject progress(Instant now) {
    return RecordCodec.toDocument(new Progress(done, applied, failed, errors, leaseFrom(now)));
  }

  /** What is set when the job ends as {@code ending} ({@code why}: a FAILED job's failure). */
  JsonObject ending(Status ending, String why, Instant now) {
    return RecordCodec.toDocument(new Ending(ending, done, applied, failed, errors, now.truncatedTo(ChronoUnit.MILLIS), why));
  }

  /** The job as clients see it (the contract's {@code ImportJob}). */
  JsonObject toApi() {
    return RecordCodec.toApi(new View(id, status, format, total, done, applied, failed, errors, createdBy, createdAt, finishedAt, failure));
  }

  /** The job as listed (the contract's {@code ImportJobSummary}): its errors are only in {@link #toApi}. */
  JsonObject toSummary() {
    return RecordCodec.toApi(new Summary(id, status, format, total, done, applied, failed, createdBy, createdAt, finishedAt, failure));
  }

  /** The {@code IMPORT_PROGRESS} event of the job in {@code shown} state. */
  JsonObject progressEvent(Status shown) {
    return RecordCodec.toApi(new ProgressEvent("IMPORT_PROGRESS", id, shown, done, total, applied, failed));
  }

  private record Progress(int done, int applied, int failed, List<ImportError> errors, Instant leaseUntil) {
  }

  private record Ending(Status status, int done, int applied, int failed, List<ImportError> errors, Instant finishedAt,
                        String failure) {
  }

  private record View(String id, Status status, String format, int total, int done, int applied, int failed,
                      List<ImportError> errors, @ExplicitNull String createdBy, Instant createdAt, Instant finishedAt, String failure) {
  }

  private record Summary(String id, Status status, String format, int total, int done, int applied, int failed,
                         @ExplicitNull String createdBy, Instant createdAt, Instant finishedAt, String failure) {
  }

  private record ProgressEvent(String type, String importId, Status status, int done, int total, int applied, int failed) {
  }
}
