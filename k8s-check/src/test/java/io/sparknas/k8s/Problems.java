package io.sparknas.k8s;

import java.util.ArrayList;
import java.util.List;

/** What a validation found, one line per problem: "Kind name: field: what is wrong". */
final class Problems {

    private final List<String> lines = new ArrayList<>();

    void add(String object, String field, String message) {
        lines.add(object + ": " + field + ": " + message);
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    boolean isEmpty() {
        return lines.isEmpty();
    }

    @Override
    public String toString() {
        return lines.isEmpty() ? "no problems" : String.join("\n", lines);
    }
}
