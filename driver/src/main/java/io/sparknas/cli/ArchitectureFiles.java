package io.sparknas.cli;

import io.sparknas.space.Architecture;
import io.sparknas.space.ArchitectureFormatException;
import io.sparknas.space.ArchitectureJson;
import io.sparknas.space.SearchSpace;
import io.sparknas.space.SpaceCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads architecture JSON files given on the command line; every error names the file and the field. */
public final class ArchitectureFiles {

    private ArchitectureFiles() {
    }

    /** Reads {@code file} and checks that its architecture belongs to {@code space}. */
    public static Architecture read(Path file, SearchSpace space) {
        if (!Files.isRegularFile(file)) {
            throw new UserInputException("architecture file not found: " + file);
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UserInputException("cannot read architecture file " + file + ": " + e.getMessage(), e);
        }
        Architecture architecture;
        try {
            architecture = ArchitectureJson.decode(text);
        } catch (ArchitectureFormatException e) {
            throw new UserInputException(file + ": " + e.getMessage(), e);
        }
        SpaceCheck check = space.check(architecture);
        if (!check.contained()) {
            throw new UserInputException(file + ": not in the search space: " + String.join("; ", check.reasons()));
        }
        return architecture;
    }
}
