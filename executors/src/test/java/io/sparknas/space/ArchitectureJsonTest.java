package io.sparknas.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ArchitectureJsonTest {

    private final SearchSpace space = TestSpaces.standard();

    @Test
    void encodingRoundTripsForRandomArchitectures() {
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 2_000; i++) {
            Architecture architecture = space.sample(random);
            String json = ArchitectureJson.encode(architecture);
            assertEquals(architecture, ArchitectureJson.decode(json));
            assertEquals(json, ArchitectureJson.encode(ArchitectureJson.decode(json)), "canonical form is stable");
            assertEquals(architecture, ArchitectureJson.decode(ArchitectureJson.encodePretty(architecture)));
        }
    }

    @Test
    void canonicalFormHasFixedKeyOrderAndNoWhitespace() {
        Architecture architecture = space.smallest();
        String json = ArchitectureJson.encode(architecture);
        assertTrue(json.startsWith("{\"resolution\":48,\"width\":0.2,\"stages\":[[{\"type\":\"standard\",\"kernel\":3,"
                + "\"expand\":1,\"skip\":false}]"), json);
        assertTrue(!json.contains(" "));
    }

    @Test
    void expandMayBeOmittedForNonMbconvAndSkipDefaultsToFalse() {
        Architecture a = ArchitectureJson.decode("{\"resolution\":96,\"width\":0.5,\"stages\":[[{\"type\":\"standard\",\"kernel\":5}]]}");
        assertEquals(new Block(ConvType.STANDARD, 5, 1, false), a.stages().get(0).get(0));
    }

    @Test
    void malformedJsonNamesLineAndColumn() {
        ArchitectureFormatException e = assertThrows(ArchitectureFormatException.class,
                () -> ArchitectureJson.decode("{\"resolution\": 96,\n \"width\": }"));
        assertTrue(e.getMessage().startsWith("malformed JSON at line 2, column"), e.getMessage());
    }

    @Test
    void wrongTypesAndUnknownFieldsNameTheField() {
        String typo = "{\"resolution\":96,\"width\":0.5,\"stages\":[[{\"type\":\"mbconv\",\"kernel\":\"five\",\"expand\":4}]]}";
        assertEquals("stages[0][0].kernel: expected an integer, got \"five\"",
                assertThrows(ArchitectureFormatException.class, () -> ArchitectureJson.decode(typo)).getMessage());
        String unknown = "{\"resolution\":96,\"width\":0.5,\"depth\":3,\"stages\":[]}";
        assertTrue(assertThrows(ArchitectureFormatException.class, () -> ArchitectureJson.decode(unknown))
                .getMessage().startsWith("depth: unknown field"));
        String badType = "{\"resolution\":96,\"width\":0.5,\"stages\":[[{\"type\":\"ghost\",\"kernel\":3}]]}";
        assertTrue(assertThrows(ArchitectureFormatException.class, () -> ArchitectureJson.decode(badType))
                .getMessage().startsWith("stages[0][0].type: 'ghost' is not a conv type"));
        String missing = "{\"width\":0.5,\"stages\":[]}";
        assertEquals("resolution: missing",
                assertThrows(ArchitectureFormatException.class, () -> ArchitectureJson.decode(missing)).getMessage());
    }
}
