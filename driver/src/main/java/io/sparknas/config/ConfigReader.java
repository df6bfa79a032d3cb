package io.sparknas.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import java.util.List;
import java.util.function.Supplier;

/**
 * Typed reads from a Typesafe {@link Config} where every failure becomes one {@link ConfigurationException}
 * naming the key and its origin, and every value can be range-checked in the same breath.
 */
final class ConfigReader {

    private final Config config;
    private final String prefix;

    ConfigReader(Config config, String prefix) {
        this.config = config;
        this.prefix = prefix;
    }

    Config config() {
        return config;
    }

    String string(String path) {
        return read(path, () -> config.getString(path));
    }

    boolean bool(String path) {
        return read(path, () -> config.getBoolean(path));
    }

    long longValue(String path) {
        return read(path, () -> config.getLong(path));
    }

    int integer(String path, int min, int max) {
        int value = read(path, () -> config.getInt(path));
        if (value < min || value > max) {
            throw invalid(path, value + " is outside [" + min + ", " + max + "]");
        }
        return value;
    }

    double number(String path, double min, double max) {
        double value = read(path, () -> config.getDouble(path));
        if (!(value >= min && value <= max)) {
            throw invalid(path, value + " is outside [" + min + ", " + max + "]");
        }
        return value;
    }

    java.time.Duration duration(String path, java.time.Duration min) {
        java.time.Duration value = read(path, () -> config.getDuration(path));
        if (value.compareTo(min) < 0) {
            throw invalid(path, value.toMillis() + " ms is below the minimum of " + min.toMillis() + " ms");
        }
        return value;
    }

    long bytes(String path, long min) {
        long value = read(path, () -> config.getBytes(path));
        if (value < min) {
            throw invalid(path, value + " bytes is below the minimum of " + min);
        }
        return value;
    }

    List<Integer> integers(String path, int min, int max) {
        List<Integer> values = read(path, () -> config.getIntList(path));
        nonEmpty(path, values);
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) < min || values.get(i) > max) {
                throw invalid(path + "[" + i + "]", values.get(i) + " is outside [" + min + ", " + max + "]");
            }
        }
        return values;
    }

    List<Double> numbers(String path, double min, double max) {
        List<Double> values = read(path, () -> config.getDoubleList(path));
        nonEmpty(path, values);
        for (int i = 0; i < values.size(); i++) {
            if (!(values.get(i) >= min && values.get(i) <= max)) {
                throw invalid(path + "[" + i + "]", values.get(i) + " is outside [" + min + ", " + max + "]");
            }
        }
        return values;
    }

    List<String> strings(String path) {
        List<String> values = read(path, () -> config.getStringList(path));
        nonEmpty(path, values);
        return values;
    }

    List<String> stringsOrEmpty(String path) {
        return read(path, () -> config.getStringList(path));
    }

    List<? extends Config> objects(String path) {
        List<? extends Config> values = read(path, () -> config.getConfigList(path));
        nonEmpty(path, values);
        return values;
    }

    List<? extends List<Double>> numberPairs(String path) {
        List<? extends ConfigValue> values = read(path, () -> config.getList(path));
        nonEmpty(path, values);
        return values.stream().map(value -> {
            Object raw = value.unwrapped();
            if (!(raw instanceof List<?> list) || list.size() != 2
                    || !list.stream().allMatch(x -> x instanceof Number)) {
                throw invalid(path, "each entry must be a [width, height] pair of numbers, got " + value.render());
            }
            return list.stream().map(x -> ((Number) x).doubleValue()).toList();
        }).toList();
    }

    /** An error for the key at {@code path} (relative to this reader), with its origin. */
    ConfigurationException invalid(String path, String problem) {
        return new ConfigurationException(qualified(path) + ": " + problem + origin(path));
    }

    String qualified(String path) {
        return prefix.isEmpty() ? path : prefix + "." + path;
    }

    private String origin(String path) {
        String base = path.replaceAll("\\[\\d+]$", "");
        try {
            if (config.hasPath(base)) {
                return " (" + config.getValue(base).origin().description() + ")";
            }
        } catch (ConfigException ignored) {
            // The origin is a courtesy; the message stands without it.
        }
        return "";
    }

    private <T> T read(String path, Supplier<T> getter) {
        try {
            return getter.get();
        } catch (ConfigException.Missing e) {
            throw new ConfigurationException(qualified(path) + ": missing" + originOf(e));
        } catch (ConfigException.WrongType | ConfigException.BadValue e) {
            throw new ConfigurationException(qualified(path) + ": " + simplify(e.getMessage()) + origin(path), e);
        }
    }

    private static String originOf(ConfigException e) {
        return e.origin() == null ? "" : " (" + e.origin().description() + ")";
    }

    private static String simplify(String message) {
        int last = message.lastIndexOf(": ");
        return last >= 0 ? message.substring(last + 2) : message;
    }

    private <T> void nonEmpty(String path, List<T> values) {
        if (values.isEmpty()) {
            throw invalid(path, "must not be empty");
        }
    }
}
