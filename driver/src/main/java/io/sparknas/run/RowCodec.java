package io.sparknas.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * How a table's row type maps to Parquet columns. Each column is declared once, with its name, type, nullability
 * and the value it takes from a row; the schema and the encoding follow from that one list, so they cannot drift
 * apart. Decoding reads the stored columns back by name through a {@link StoredRow}.
 *
 * <p>Spark's bean encoders would derive a schema from the record, but not ours: they sort columns by name, cannot
 * flatten nested records (an architecture, costs) into the columns notebooks query, and know nothing of
 * nullability, so the mapping is declared here.
 *
 * @param <R> the row type
 */
public final class RowCodec<R> {

    /** One column: its Parquet name, type and nullability, and the value a row stores in it. */
    private record Column<R>(String name, DataType type, boolean nullable, Function<R, Object> value) {
    }

    private final List<Column<R>> columns;
    private final StructType schema;
    private final Function<StoredRow, R> decoder;

    private RowCodec(List<Column<R>> columns, Function<StoredRow, R> decoder) {
        this.columns = List.copyOf(columns);
        this.decoder = decoder;
        StructField[] fields = new StructField[columns.size()];
        for (int i = 0; i < fields.length; i++) {
            Column<R> c = columns.get(i);
            fields[i] = DataTypes.createStructField(c.name(), c.type(), c.nullable());
        }
        this.schema = new StructType(fields);
    }

    /** A codec to be declared column by column. */
    public static <R> Builder<R> builder() {
        return new Builder<>();
    }

    /** The stored columns, in file order (a partition column such as {@code generation} is not among them). */
    public StructType schema() {
        return schema;
    }

    /** One row as a Spark row of {@link #schema()}. */
    public Row encode(R row) {
        Object[] values = new Object[columns.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = columns.get(i).value().apply(row);
        }
        return RowFactory.create(values);
    }

    /** The rows as a DataFrame of {@link #schema()}. */
    public Dataset<Row> frame(SparkSession spark, List<R> rows) {
        List<Row> encoded = new ArrayList<>(rows.size());
        for (R row : rows) {
            encoded.add(encode(row));
        }
        return spark.createDataFrame(encoded, schema);
    }

    /** A stored row read back. */
    public R decode(Row row) {
        return decoder.apply(new StoredRow(row));
    }

    /** Every stored row of {@code rows}, sorted by the {@code order} columns (none: as they come). */
    public List<R> decodeAll(Dataset<Row> rows, String... order) {
        Dataset<Row> ordered = order.length == 0 ? rows
                : rows.orderBy(Arrays.stream(order).map(functions::col).toArray(org.apache.spark.sql.Column[]::new));
        List<R> out = new ArrayList<>();
        for (Row row : ordered.collectAsList()) {
            out.add(decode(row));
        }
        return out;
    }

    /** Declares the columns in file order, then how a stored row becomes a row. */
    public static final class Builder<R> {

        private final List<Column<R>> columns = new ArrayList<>();

        private Builder() {
        }

        private Builder<R> add(String name, DataType type, boolean nullable, Function<R, Object> value) {
            if (columns.stream().anyMatch(c -> c.name().equals(name))) {
                throw new IllegalArgumentException("column " + name + " is declared twice");
            }
            columns.add(new Column<>(name, type, nullable, value));
            return this;
        }

        /** A non-null text column. */
        public Builder<R> string(String name, Function<R, String> value) {
            return add(name, DataTypes.StringType, false, value::apply);
        }

        /** A text column that may be null. */
        public Builder<R> optionalString(String name, Function<R, String> value) {
            return add(name, DataTypes.StringType, true, value::apply);
        }

        /** A non-null 32-bit integer column. */
        public Builder<R> integer(String name, Function<R, Integer> value) {
            return add(name, DataTypes.IntegerType, false, value::apply);
        }

        /** A 32-bit integer column that may be null. */
        public Builder<R> optionalInteger(String name, Function<R, Integer> value) {
            return add(name, DataTypes.IntegerType, true, value::apply);
        }

        /** A non-null 64-bit integer column. */
        public Builder<R> longInteger(String name, Function<R, Long> value) {
            return add(name, DataTypes.LongType, false, value::apply);
        }

        /** A non-null double column. */
        public Builder<R> decimal(String name, Function<R, Double> value) {
            return add(name, DataTypes.DoubleType, false, value::apply);
        }

        /** A double column that may be null. */
        public Builder<R> optionalDecimal(String name, Function<R, Double> value) {
            return add(name, DataTypes.DoubleType, true, value::apply);
        }

        /** A non-null boolean column. */
        public Builder<R> bool(String name, Function<R, Boolean> value) {
            return add(name, DataTypes.BooleanType, false, value::apply);
        }

        /** A non-null array of non-null floats. */
        public Builder<R> floats(String name, Function<R, float[]> value) {
            return add(name, DataTypes.createArrayType(DataTypes.FloatType, false), false, r -> boxed(value.apply(r)));
        }

        /** The codec, with the function that builds a row from its stored columns. */
        public RowCodec<R> build(Function<StoredRow, R> decoder) {
            return new RowCodec<>(columns, decoder);
        }

        private static Float[] boxed(float[] values) {
            Float[] boxed = new Float[values.length];
            for (int i = 0; i < values.length; i++) {
                boxed[i] = values[i];
            }
            return boxed;
        }
    }
}
