package io.sparknas.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects problems found while reading a dataset. Lenient: each is recorded and its image skipped. Strict: the
 * first one fails the read with a {@link DataFormatException} naming the file.
 */
public final class DataIssues {

    private final boolean strict;
    private final List<DataIssue> issues = new ArrayList<>();

    public DataIssues(boolean strict) {
        this.strict = strict;
    }

    /** Records a problem (or, when strict, fails). */
    public void report(String file, String reason) {
        DataIssue issue = new DataIssue(file, reason);
        if (strict) {
            throw new DataFormatException(issue.toString());
        }
        issues.add(issue);
    }

    /** What was reported so far. */
    public List<DataIssue> all() {
        return List.copyOf(issues);
    }
}
