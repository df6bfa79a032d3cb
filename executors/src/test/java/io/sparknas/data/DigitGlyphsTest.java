package io.sparknas.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class DigitGlyphsTest {

    @Test
    void theShippedGlyphsHold150OfEveryDigitWithTheirInkBounds() {
        DigitGlyphs glyphs = DigitGlyphs.mnist();
        for (int digit = 0; digit < 10; digit++) {
            assertEquals(150, glyphs.count(digit), "digit " + digit);
            for (int i = 0; i < glyphs.count(digit); i++) {
                DigitGlyphs.Glyph glyph = glyphs.glyph(digit, i);
                assertTrue(glyph.y2() - glyph.y1() >= 10 && glyph.x2() - glyph.x1() >= 2, "digit " + digit + " #" + i);
                assertTrue(glyph.ink(glyph.x1() - 1, glyph.y1() - 1) == 0, "no ink outside its bounds");
            }
        }
    }

    @Test
    void filesThatAreNotIdxAreRefused() throws IOException {
        byte[] notIdx = gzip(new byte[64]);
        assertThrows(IOException.class,
                () -> DigitGlyphs.read(new ByteArrayInputStream(notIdx), new ByteArrayInputStream(notIdx)));
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }
}
