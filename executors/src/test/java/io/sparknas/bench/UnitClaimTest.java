package io.sparknas.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Claims on benchmark cache units: held by a live process, taken over from a dead one, released on close. */
class UnitClaimTest {

    @TempDir
    Path dir;

    @Test
    void aUnitHeldByALiveProcessIsNotClaimedAndADeadOnesClaimIsTakenOver() throws Exception {
        Path unit = dir.resolve("student-abc.json");
        Process live = new ProcessBuilder("sleep", "60").start();
        try {
            Files.writeString(UnitClaim.claimFile(unit), Long.toString(live.pid()));
            assertTrue(UnitClaim.tryClaim(unit).isEmpty(), "a live process's claim must be respected");
        } finally {
            live.destroy();
            live.waitFor();
        }
        Optional<UnitClaim> taken = UnitClaim.tryClaim(unit);
        assertTrue(taken.isPresent(), "the claim of a process that has exited is stale and taken over");
        assertEquals(Long.toString(ProcessHandle.current().pid()),
                Files.readString(UnitClaim.claimFile(unit)).trim());
        taken.get().close();
        assertFalse(Files.exists(UnitClaim.claimFile(unit)), "closing releases the claim");
    }

    @Test
    void anUnreadableClaimIsReportedWithItsFile() throws IOException {
        Path unit = dir.resolve("teacher-xyz");
        Files.writeString(UnitClaim.claimFile(unit), "not a pid");
        IOException error = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> UnitClaim.tryClaim(unit));
        assertTrue(error.getMessage().contains("teacher-xyz.claim"), error.getMessage());
    }
}
