package io.sparknas.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** docs/run-folder.md describes every column of every table, in the table's section and in file order. */
class RunFolderDocTest {

    @Test
    void everyColumnIsDescribedInItsTablesSection() throws IOException {
        String doc = Files.readString(Path.of("../docs/run-folder.md"));
        Map<String, StructType> tables = Map.of(
                "## `candidates/`", CandidateRow.CODEC.schema(),
                "## `population/`", PopulationMember.CODEC.schema(),
                "## `generations/`", GenerationSummary.CODEC.schema(),
                "## `proposals/`", ProposalRow.CODEC.schema(),
                "## `space_selection/`", SpaceSelectionRow.CODEC.schema(),
                "## `final_models/`", FinalModelRow.CODEC.schema(),
                "## `teacher_outputs/`", TeacherOutputsCache.CODEC.schema());
        for (Map.Entry<String, StructType> table : tables.entrySet()) {
            int start = doc.indexOf(table.getKey());
            assertTrue(start >= 0, table.getKey() + " has no section");
            int end = doc.indexOf("\n## ", start + 1);
            String section = doc.substring(start, end < 0 ? doc.length() : end);
            List<String> documented = new ArrayList<>();
            for (String line : section.lines().toList()) {
                if (line.startsWith("| `")) {
                    documented.add(line.substring(3, line.indexOf('`', 3)));
                }
            }
            assertEquals(List.of(table.getValue().fieldNames()), documented, table.getKey());
        }
    }
}
