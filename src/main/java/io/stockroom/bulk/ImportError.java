package io.stockroom.bulk;

import io.stockroom.platform.mongo.ExplicitNull;

/**
 * A row of an import that could not be applied: its number (from 1, header excluded), the import field at fault
 * (null: the row as a whole; always present, as null, in the job's document and answer) and why.
 */
record ImportError(int row, @ExplicitNull String field, String message) {
  /** The same error, reported against {@code other}. */
  ImportError against(String other) {
    return new ImportError(row, other, message);
  }
}
