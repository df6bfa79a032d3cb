package io.sparknas.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A benchmark's {@code --name=value} options over its defaults; an unknown name is an error that lists the known
 * ones.
 *
 * @param values every option, defaults included, in declaration order
 */
record BenchOptions(Map<String, String> values) {

    static BenchOptions parse(Map<String, String> defaults, String[] args) {
        Map<String, String> options = new LinkedHashMap<>(defaults);
        for (String arg : args) {
            int equals = arg.indexOf('=');
            String name = arg.startsWith("--") && equals > 2 ? arg.substring(2, equals) : null;
            if (name == null || !defaults.containsKey(name)) {
                throw new IllegalArgumentException("'" + arg + "' is not --name=value with a known name; names: "
                        + defaults.keySet());
            }
            options.put(name, arg.substring(equals + 1));
        }
        return new BenchOptions(options);
    }

    String get(String name) {
        return values.get(name);
    }

    int integer(String name) {
        return Integer.parseInt(values.get(name));
    }

    double real(String name) {
        return Double.parseDouble(values.get(name));
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
