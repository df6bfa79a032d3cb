package io.sparknas.run;

/** A run was asked for where there is none: the folder has no {@code run.json}. */
public final class RunNotFoundException extends IllegalArgumentException {

    RunNotFoundException(String message) {
        super(message);
    }
}
