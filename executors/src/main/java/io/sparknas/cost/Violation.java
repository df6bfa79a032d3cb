package io.sparknas.cost;

import java.util.Locale;

/**
 * A broken hardware budget and by how much.
 *
 * @param budget the budget's name: {@code sram}, {@code flash} or {@code latency}
 * @param value  what the model needs
 * @param limit  what the target allows
 * @param unit   the unit of both ({@code B} or {@code ms})
 */
public record Violation(String budget, double value, double limit, String unit) implements java.io.Serializable {

    /** How far over the limit, in the budget's unit. */
    public double excess() {
        return value - limit;
    }

    /** A one-line account, e.g. {@code sram: needs 412,345 B, limit 327,680 B (+84,665 B, +25.8%)}. */
    public String describe() {
        String format = unit.equals("ms") ? "%,.2f" : "%,.0f";
        return String.format(Locale.ROOT, "%s: needs " + format + " %s, limit " + format + " %s (+" + format + " %s, +%.1f%%)",
                budget, value, unit, limit, unit, excess(), unit, 100.0 * excess() / limit);
    }
}
