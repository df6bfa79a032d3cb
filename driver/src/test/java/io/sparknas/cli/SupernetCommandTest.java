package io.sparknas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `sparknas supernet train` and `supernet eval` through the real command line, on tiny settings. */
class SupernetCommandTest {

    private static final String[] TINY = {"--set", "data.synthetic.train=32", "--set", "data.synthetic.val=12",
        "--set", "data.synthetic.test=4", "--set", "data.synthetic.image-size=64", "--set", "supernet.batch-size=16",
        "--set", "supernet.random-subnets=1", "--set", "supernet.recalibration-batches=1"};

    @TempDir
    Path dir;

    private static String[] with(String... command) {
        String[] all = new String[command.length + TINY.length];
        System.arraycopy(command, 0, all, 0, command.length);
        System.arraycopy(TINY, 0, all, command.length, TINY.length);
        return all;
    }

    @Test
    void trainWritesACheckpointThatEvalScoresDeterministicallyAndResumeContinues() throws IOException {
        Path out = dir.resolve("supernet");
        CliErrorsTest.Result train = CliErrorsTest.run(with("supernet", "train", "--out", out.toString(),
                "--epochs", "1", "--resolution", "64", "--width", "0.3"));
        assertEquals(0, train.status(), train.err());
        assertTrue(train.out().contains("supernet: cell 64 px x 0.30, 1 epochs, largest + smallest + 1 random"),
                train.out());
        assertTrue(train.out().contains("supernet epoch 1/1  phase 3"), train.out());
        assertTrue(train.out().contains("anchors: fitted to "), "anchors fitted to the training boxes: " + train.out());
        Path checkpoint = out.resolve("supernet.ckpt");
        assertTrue(Files.size(checkpoint) > 100_000, "the checkpoint holds the shared weights");

        Path arch = dir.resolve("tiny.json");
        Files.writeString(arch, "{\"resolution\":64,\"width\":0.3,\"stages\":[[{\"type\":\"depthwise-separable\",\"kernel\":3}],"
                + "[{\"type\":\"mbconv\",\"kernel\":3,\"expand\":3}],[{\"type\":\"mbconv\",\"kernel\":5,\"expand\":4}],"
                + "[{\"type\":\"mbconv\",\"kernel\":3,\"expand\":3},{\"type\":\"standard\",\"kernel\":3}],"
                + "[{\"type\":\"mbconv\",\"kernel\":7,\"expand\":6}]]}");
        String[] eval = with("supernet", "eval", "--supernet", checkpoint.toString(), "--arch", arch.toString(), "--stale");
        CliErrorsTest.Result first = CliErrorsTest.run(eval);
        CliErrorsTest.Result second = CliErrorsTest.run(eval);
        assertEquals(0, first.status(), first.err());
        Pattern score = Pattern.compile("val mAP@0\\.5 ([\\d.]+), mAP@\\[\\.5:\\.95\\] ([\\d.]+) after BatchNorm "
                + "recalibration \\(([\\d.]+) before\\)");
        Matcher a = score.matcher(first.out());
        Matcher b = score.matcher(second.out());
        assertTrue(a.find() && b.find(), first.out());
        assertEquals(a.group(1), b.group(1), "same checkpoint, architecture and seed: same score");
        assertEquals(a.group(3), b.group(3));
        assertTrue(first.out().contains("supernet after 1 epochs"), first.out());

        CliErrorsTest.Result resumed = CliErrorsTest.run(with("supernet", "train", "--out", out.toString(),
                "--epochs", "2", "--resolution", "64", "--width", "0.3", "--resume"));
        assertEquals(0, resumed.status(), resumed.err());
        assertTrue(resumed.out().contains("resuming the supernet after epoch 1"), resumed.out());
        assertTrue(resumed.out().contains("supernet epoch 2/2") && !resumed.out().contains("supernet epoch 1/2"),
                resumed.out());

        CliErrorsTest.Result otherCell = CliErrorsTest.run(with("supernet", "train", "--out", out.toString(),
                "--epochs", "3", "--resolution", "96", "--width", "0.3", "--resume"));
        assertEquals(2, otherCell.status());
        assertTrue(otherCell.err().contains("resume it in the same cell"), otherCell.err());
    }

    @Test
    void badInputsNameTheirOption() throws IOException {
        CliErrorsTest.Result missing = CliErrorsTest.run(with("supernet", "eval", "--supernet",
                dir.resolve("none.ckpt").toString(), "--arch", "../examples/arch-small.json"));
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("supernet checkpoint not found: " + dir.resolve("none.ckpt")), missing.err());

        Path corrupt = dir.resolve("corrupt.ckpt");
        Files.writeString(corrupt, "not a zip");
        CliErrorsTest.Result bad = CliErrorsTest.run(with("supernet", "eval", "--supernet", corrupt.toString(),
                "--arch", "../examples/arch-small.json"));
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains(corrupt + " is not a supernet checkpoint"), bad.err());

        CliErrorsTest.Result width = CliErrorsTest.run(with("supernet", "train", "--out", dir.toString(),
                "--resolution", "64", "--width", "0.33"));
        assertEquals(2, width.status());
        assertTrue(width.err().contains("--width: 0.33 is not in space.widths"), width.err());
    }
}
