package io.sparknas.logging;

import java.util.regex.Pattern;

/**
 * Text from outside the program (an LLM reply, a data file, an error message quoting either) made safe to print
 * on a terminal: escape sequences (CSI such as {@code ESC[31m}, OSC such as a window title, DCS, SOS, PM, APC and
 * the short two-byte ones) and every other C0 and C1 control character, DEL included, are removed, so the text can
 * neither recolour, move the cursor, rewrite earlier lines, ring the bell nor talk to the terminal. Printable
 * Unicode is kept as it is. Only what goes to the console is cleaned: tables keep the text they were given. A null
 * text gives {@code "null"}, as {@code String.valueOf} and {@code printf("%s")} print it.
 */
public final class ConsoleText {

    /**
     * Escape sequences (ECMA-48), longest kinds first: control strings (OSC, DCS, SOS, PM, APC; introduced by ESC
     * and one of {@code ] P X ^ _}, or by their C1 forms) up to BEL or the string terminator (ESC {@code \} or
     * U+009C), or to the end of the text when unterminated, as a terminal would swallow it; control sequences (ESC
     * {@code [} or U+009B, parameter bytes, intermediate bytes, one final byte); then ESC with intermediate bytes and
     * one final byte ({@code ESC c}, {@code ESC ( B}).
     */
    private static final Pattern SEQUENCE = Pattern.compile(
            "(?:\\x1B[\\]PX^_]|[\\x{90}\\x{98}\\x{9D}\\x{9E}\\x{9F}]).*?(?:\\x07|\\x1B\\\\|\\x{9C}|\\z)"
                    + "|(?:\\x1B\\[|\\x{9B})[\\x30-\\x3F]*[\\x20-\\x2F]*[\\x40-\\x7E]"
                    + "|\\x1B[\\x20-\\x2F]*[\\x30-\\x7E]",
            Pattern.DOTALL);
    private static final Pattern LINE_BREAK_OR_TAB = Pattern.compile("\\r\\n|[\\r\\n\\t]");
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x1F\\x7F-\\x{9F}]");
    private static final Pattern CONTROL_BUT_NEWLINE_AND_TAB = Pattern.compile("[\\x00-\\x08\\x0B-\\x1F\\x7F-\\x{9F}]");

    private ConsoleText() {
    }

    /**
     * One line for the console: escape sequences and control characters removed, line breaks ({@code \r\n},
     * {@code \n}, {@code \r}) and tabs turned into one space each, so the text cannot break or overwrite the line it
     * is part of.
     */
    public static String line(String text) {
        String plain = SEQUENCE.matcher(String.valueOf(text)).replaceAll("");
        return CONTROL.matcher(LINE_BREAK_OR_TAB.matcher(plain).replaceAll(" ")).replaceAll("");
    }

    /**
     * Several lines for the console: escape sequences and control characters removed except newline and tab;
     * {@code \r\n} becomes {@code \n} and a lone carriage return (which would overwrite the line) is removed.
     */
    public static String block(String text) {
        String plain = SEQUENCE.matcher(String.valueOf(text)).replaceAll("");
        return CONTROL_BUT_NEWLINE_AND_TAB.matcher(plain).replaceAll("");
    }
}
