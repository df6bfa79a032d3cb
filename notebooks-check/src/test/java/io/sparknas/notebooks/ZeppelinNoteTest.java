package io.sparknas.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.zeppelin.notebook.Note;
import org.apache.zeppelin.notebook.Paragraph;
import org.junit.jupiter.api.Test;

/**
 * The Zeppelin note parses with Zeppelin's own reader (offline, no server), and every paragraph is Spark SQL over
 * the results folder and run chosen in its forms. (In the driver, FinalizeCommandTest runs the same SQL on a real
 * run's tables.)
 */
class ZeppelinNoteTest {

    private static final Path NOTE = Path.of("../notebooks/sparknas-analysis.zpln");

    @Test
    void theNoteParsesAndEveryParagraphIsSparkSqlOverTheChosenRun() throws IOException {
        Note note = Note.fromJson("2SPARKNAS", Files.readString(NOTE));
        assertEquals("SparkNAS run analysis", note.getName());
        assertEquals(10, note.getParagraphs().size());
        for (Paragraph paragraph : note.getParagraphs()) {
            assertEquals("spark.sql", paragraph.getIntpText(), paragraph.getTitle());
            assertTrue(paragraph.getScriptText().contains("${results=results}/${run=RUN_ID}/"), paragraph.getTitle());
        }
    }

    @Test
    void aNoteThatIsNotJsonIsRefused() {
        assertThrows(Exception.class, () -> Note.fromJson("broken", "{\"paragraphs\": [ {\"text\": "));
    }
}
