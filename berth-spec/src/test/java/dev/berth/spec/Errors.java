package dev.berth.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Test helpers for the {@link RegistryException} a call raises. */
public final class Errors {
    private Errors() {
    }

    /** The exception {@code call} raises; fails the test if it returns or throws anything else. */
    public static RegistryException thrown(ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOf(RegistryException.class);
        return (RegistryException) thrown;
    }

    public static ErrorCode codeOf(ThrowingCallable call) {
        return thrown(call).code();
    }

    /** The detail of the exception {@code call} raises, as text. */
    public static String detailOf(ThrowingCallable call) {
        return String.valueOf(thrown(call).detail());
    }
}
