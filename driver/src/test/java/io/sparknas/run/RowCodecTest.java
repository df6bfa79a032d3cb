package io.sparknas.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

/** One declaration of columns gives the schema, the encoding and, by name, the decoding. */
class RowCodecTest {

    private record Sample(String name, Integer optional, long count, float[] values) {
    }

    private static final RowCodec<Sample> CODEC = RowCodec.<Sample>builder()
            .string("name", Sample::name)
            .optionalInteger("optional", Sample::optional)
            .longInteger("count", Sample::count)
            .floats("values", Sample::values)
            .build(row -> new Sample(row.string("name"), row.optionalInteger("optional"), row.longInteger("count"),
                    row.floats("values")));

    private static Row stored(Object... values) {
        return new GenericRowWithSchema(values, CODEC.schema());
    }

    @Test
    void theSchemaFollowsTheDeclarationsInOrderWithTheirNullability() {
        assertEquals(List.of("name", "optional", "count", "values"), List.of(CODEC.schema().fieldNames()));
        assertEquals(DataTypes.LongType, CODEC.schema().apply("count").dataType());
        assertTrue(CODEC.schema().apply("optional").nullable());
        assertEquals(false, CODEC.schema().apply("name").nullable());
        assertEquals(DataTypes.createArrayType(DataTypes.FloatType, false), CODEC.schema().apply("values").dataType());
    }

    @Test
    void aRowEncodesInSchemaOrderAndDecodesByName() {
        Row encoded = CODEC.encode(new Sample("a", null, 7L, new float[] {1f, 2.5f}));
        assertEquals("a", encoded.get(0));
        assertEquals(null, encoded.get(1));
        assertEquals(7L, encoded.get(2));
        Sample decoded = CODEC.decode(stored("a", null, 7L, scala.jdk.javaapi.CollectionConverters.asScala(
                List.of(1f, 2.5f)).toSeq()));
        assertEquals("a", decoded.name());
        assertEquals(null, decoded.optional());
        assertArrayEquals(new float[] {1f, 2.5f}, decoded.values());
    }

    @Test
    void aNullWhereTheTableNeverStoresOneNamesTheColumn() {
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> CODEC.decode(stored(null, 1, 7L, scala.jdk.javaapi.CollectionConverters.asScala(
                        List.of(1f)).toSeq())));
        assertEquals("column 'name' is null in a stored row", error.getMessage());
    }

    @Test
    void aColumnDeclaredTwiceIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> RowCodec.<Sample>builder()
                .string("name", Sample::name).string("name", Sample::name));
    }
}
