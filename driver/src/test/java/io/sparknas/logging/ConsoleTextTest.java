package io.sparknas.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What {@link ConsoleText} removes from outside text, and what it keeps. */
class ConsoleTextTest {

    @Test
    void csiSequencesAreRemoved() {
        assertEquals("red and plain", ConsoleText.line("\u001B[31mred\u001B[0m and \u001B[1;38;5;196mplain"));
        assertEquals("cleared", ConsoleText.line("\u001B[2J\u001B[Hcleared\u001B[?25l"));
        assertEquals("c1 csi", ConsoleText.line("\u009B31mc1 csi"));
    }

    @Test
    void oscAndOtherControlStringsAreRemovedWithTheirPayload() {
        assertEquals("before after", ConsoleText.line("before \u001B]0;new window title\u0007after"));
        assertEquals("link text", ConsoleText.line("\u001B]8;;https://example.com\u001B\\link text\u001B]8;;\u001B\\"));
        assertEquals("x y", ConsoleText.line("x \u001BPq#0;2;0;0;0\u001B\\y"));
        assertEquals("c1 osc", ConsoleText.line("c1 \u009D0;title\u009Cosc"));
        assertEquals("unterminated ", ConsoleText.line("unterminated \u001B]0;the terminal would swallow this"));
    }

    @Test
    void shortEscapeSequencesAreRemoved() {
        assertEquals("reset charset", ConsoleText.line("\u001Bcreset \u001B(Bcharset"));
    }

    @Test
    void bellBackspaceDeleteAndC1ControlsAreRemoved() {
        assertEquals("ring", ConsoleText.line("ri\u0007ng"));
        assertEquals("safe", ConsoleText.line("safe\u0008\u0008\u0008\u0008"));
        assertEquals("ab", ConsoleText.line("a\u007Fb"));
        assertEquals("nextline", ConsoleText.line("next\u0085line"));
        assertEquals("abcd", ConsoleText.line("a\u0080b\u0099c\u008Dd\u0000"));
        assertEquals("esc alone ", ConsoleText.line("esc alone \u001B"));
    }

    @Test
    void aLineKeepsItsWordsApartWhereItHadLineBreaksOrTabs() {
        assertEquals("one two three four", ConsoleText.line("one\r\ntwo\nthree\tfour"));
        assertEquals("overwritten? no", ConsoleText.line("overwritten?\rno"));
    }

    @Test
    void aBlockKeepsNewlinesAndTabsOnly() {
        assertEquals("line 1\n\tline 2\nline 3", ConsoleText.block("line 1\r\n\tline 2\n\u001B[31mline\u0007 3\r"));
        assertEquals("no overwrite", ConsoleText.block("no \roverwrite"));
    }

    @Test
    void ordinaryUnicodeIsKept() {
        String text = "größe ≤ 64 KiB — 検出器 🚀 naïve café, Ελληνικά, עברית";
        assertEquals(text, ConsoleText.line(text));
        assertEquals(text, ConsoleText.block(text));
        assertEquals("[ 1 ] (a|b) ~ { } \\ ^ _", ConsoleText.line("[ 1 ] (a|b) ~ { } \\ ^ _"));
    }

    @Test
    void nullIsPrintedAsPrintfWould() {
        assertEquals("null", ConsoleText.line(null));
        assertEquals("null", ConsoleText.block(null));
    }
}
