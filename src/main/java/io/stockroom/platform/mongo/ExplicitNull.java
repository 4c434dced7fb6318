package io.stockroom.platform.mongo;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A record component that {@link RecordCodec} writes as JSON null when it has no value, instead of leaving it out: for
 * the fields a document or an answer has always carried as null (an import error's {@code field}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD})
public @interface ExplicitNull {
}
