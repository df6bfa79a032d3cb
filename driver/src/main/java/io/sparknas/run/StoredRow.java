package io.sparknas.run;

import java.util.List;
import org.apache.spark.sql.Row;

/**
 * A row read from a run's table, its columns taken by name with their stored types. A column that is missing or
 * null where the table never stores null is an error naming the column, not a {@code NullPointerException} later.
 */
public final class StoredRow {

    private final Row row;

    StoredRow(Row row) {
        this.row = row;
    }

    private Object value(String column, boolean nullable) {
        int index;
        try {
            index = row.fieldIndex(column);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("column '" + column + "' is missing from the stored row", e);
        }
        Object value = row.get(index);
        if (value == null && !nullable) {
            throw new IllegalStateException("column '" + column + "' is null in a stored row");
        }
        return value;
    }

    /** A non-null text column. */
    public String string(String column) {
        return (String) value(column, false);
    }

    /** A text column that may be null. */
    public String optionalString(String column) {
        return (String) value(column, true);
    }

    /** A non-null 32-bit integer column. */
    public int integer(String column) {
        return (Integer) value(column, false);
    }

    /** A 32-bit integer column that may be null. */
    public Integer optionalInteger(String column) {
        return (Integer) value(column, true);
    }

    /** A non-null 64-bit integer column. */
    public long longInteger(String column) {
        return (Long) value(column, false);
    }

    /** A non-null double column. */
    public double decimal(String column) {
        return (Double) value(column, false);
    }

    /** A double column that may be null. */
    public Double optionalDecimal(String column) {
        return (Double) value(column, true);
    }

    /** A non-null boolean column. */
    public boolean bool(String column) {
        return (Boolean) value(column, false);
    }

    /** A non-null array of floats. */
    public float[] floats(String column) {
        value(column, false);
        List<Object> values = row.getList(row.fieldIndex(column));
        float[] array = new float[values.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = ((Number) values.get(i)).floatValue();
        }
        return array;
    }
}
