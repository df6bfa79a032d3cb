package io.sparknas.run;

import io.sparknas.config.SparkNasConfig;
import io.sparknas.cost.CostModel;
import io.sparknas.logging.RunLog;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of SparkNAS and the one home of its folder: its id, its folder (a Hadoop path on any file system: local,
 * {@code hdfs://}, {@code s3a://}) and that file system, the configuration the command runs with, its
 * {@code run.json}, where progress lines go, and typed handles for its tables. Every command that reads or writes a
 * run opens or creates one {@code Run} and hands it to its stages; nothing else builds paths in a run folder.
 */
public final class Run {

    /** The candidates table: one row per candidate, partitioned by generation. */
    public static final String CANDIDATES = "candidates";
    /** The population table: the evolution's population after each generation. */
    public static final String POPULATION = "population";
    /** The proposals table: every LLM proposal and its outcome. */
    public static final String PROPOSALS = "proposals";
    /** Folder of the search's per-generation summaries. */
    public static final String GENERATIONS = "generations";
    /** The final models table. */
    public static final String FINAL_MODELS = "final_models";
    /** The stage-1 table. */
    public static final String SPACE_SELECTION = "space_selection";
    /** The folder of the driver's log. */
    public static final String LOGS = "logs";
    /** The trained final models' folder. */
    public static final String MODELS = "models";

    /** Copies progress lines into the log file only (see driver/src/main/resources/log4j2.properties). */
    private static final Logger PROGRESS = LoggerFactory.getLogger("io.sparknas.progress");

    private final SparkSession spark;
    private final String id;
    private final Path folder;
    private final FileSystem fs;
    private final SparkNasConfig config;
    private final Consumer<String> progress;

    private Run(SparkSession spark, String id, Path folder, FileSystem fs, SparkNasConfig config,
                Consumer<String> progress) {
        this.spark = spark;
        this.id = id;
        this.folder = folder;
        this.fs = fs;
        this.config = config;
        this.progress = progress;
    }

    /**
     * Creates the run {@code id} under {@code outputDir} and writes its {@code run.json}; refuses a folder that
     * already holds a run.
     *
     * @param command the command line, recorded
     * @param seeds   named seeds, recorded
     */
    public static Run create(SparkSession spark, String outputDir, String id, SparkNasConfig config, String command,
                             Map<String, Long> seeds, Consumer<String> progress) {
        return create(spark, outputDir, id, config, command, seeds, Map.of(), progress);
    }

    /**
     * As {@link #create(SparkSession, String, String, SparkNasConfig, String, Map, Consumer)}, recording
     * {@code options}: command options that are not configuration keys (e.g. {@code supernet}), which a resume
     * restores ({@link RunManifest#option}).
     */
    public static Run create(SparkSession spark, String outputDir, String id, SparkNasConfig config, String command,
                             Map<String, Long> seeds, Map<String, String> options, Consumer<String> progress) {
        Run run = at(spark, outputDir, id, config, progress);
        if (run.hasManifest()) {
            throw new IllegalArgumentException("run " + id + " already exists in " + run.folder);
        }
        RunManifest.write(spark, run.fs, run.folder, id, command, config.renderJson(), seeds, config.target(),
                config.cost().plan().configName(), options);
        return run;
    }

    /**
     * Opens the existing run {@code id} under {@code outputDir}; a folder without {@code run.json} is a
     * {@link RunNotFoundException}.
     */
    public static Run open(SparkSession spark, String outputDir, String id, SparkNasConfig config,
                           Consumer<String> progress) {
        Run run = at(spark, outputDir, id, config, progress);
        if (!run.hasManifest()) {
            throw new RunNotFoundException("no " + RunManifest.FILE + " in " + run.folder);
        }
        return run;
    }

    /** Whether {@code outputDir} holds the run {@code id} (its {@code run.json}). */
    public static boolean exists(SparkSession spark, String outputDir, String id) {
        return at(spark, outputDir, id, null, line -> { }).hasManifest();
    }

    /** Where the run {@code id} under {@code outputDir} lies, for messages. */
    public static String folder(String outputDir, String id) {
        return new Path(outputDir, RunIds.validate(id)).toString();
    }

    private static Run at(SparkSession spark, String outputDir, String id, SparkNasConfig config,
                          Consumer<String> progress) {
        Path folder = new Path(outputDir, RunIds.validate(id));
        try {
            return new Run(spark, id, folder, folder.getFileSystem(spark.sparkContext().hadoopConfiguration()), config,
                    progress);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach " + folder, e);
        }
    }

    /** This run with another configuration (e.g. the one recorded in its {@code run.json}). */
    public Run withConfig(SparkNasConfig other) {
        return new Run(spark, id, folder, fs, other, progress);
    }

    /** The run's id. */
    public String id() {
        return id;
    }

    /** The Spark session the run's tables are read and written with. */
    public SparkSession spark() {
        return spark;
    }

    /** The configuration this command runs with. */
    public SparkNasConfig config() {
        return config;
    }

    /** Prints one progress line, and copies it into the log file. */
    public void progress(String line) {
        PROGRESS.info("{}", line);
        progress.accept(line);
    }

    /** Where progress lines go: {@link #progress(String)}. */
    public Consumer<String> progress() {
        return this::progress;
    }

    /** The run folder, as the user gave it (for messages and for executors, which resolve it themselves). */
    public String location() {
        return folder.toString();
    }

    /** The results folder that holds the run folder, as a location string. */
    public String resultsFolder() {
        return folder.getParent().toString();
    }

    /** A file or folder of the run, as a location string. */
    public String location(String child) {
        return new Path(folder, child).toString();
    }

    /** The run folder as a path on this machine, or empty when it lies on a cluster file system. */
    public Optional<java.nio.file.Path> localFolder() {
        return RunIds.asLocal(location());
    }

    /** Whether the run folder holds {@code child}. */
    public boolean has(String child) {
        try {
            return fs.exists(new Path(folder, child));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + folder, e);
        }
    }

    /**
     * Writes a text file {@code child} of the run folder, replacing it; returns its location. In a local run folder
     * it is a plain file (no Hadoop checksum file beside it).
     */
    public String writeText(String child, String text) {
        Optional<java.nio.file.Path> local = localFolder();
        if (local.isPresent()) {
            java.nio.file.Path file = local.get().resolve(child);
            try {
                java.nio.file.Files.writeString(file, text, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
            return file.toString();
        }
        Path file = new Path(folder, child);
        try (OutputStream out = fs.create(file, true)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file.toString();
    }

    private boolean hasManifest() {
        return has(RunManifest.FILE);
    }

    /**
     * Writes this process's full log (library messages included, earlier lines copied in) to the run folder's
     * {@code logs/driver.log} from now on, until the command returns; returns where it is. In a run folder on a
     * cluster file system the log is written to a local copy (continuing the run's earlier log) and stored in the
     * run folder when the command returns.
     */
    public String keepLog() {
        String name = "driver.log";
        Optional<java.nio.file.Path> local = localFolder();
        if (local.isPresent()) {
            RunLog.attach(local.get().resolve(LOGS).resolve(name));
        } else {
            DriverFolder logs = driverFolder(LOGS);
            RunLog.attach(logs.path().resolve(name), logs::publish);
        }
        return location(LOGS + "/" + name);
    }

    /** The run's {@code run.json}. */
    public RunManifest manifest() {
        return RunManifest.read(fs, folder);
    }

    /** The cost model of the configured target over the whole search space. */
    public CostModel costModel() {
        return new CostModel(config.space(), config.target(), config.cost());
    }

    /** A folder of the run the driver works on with plain Java I/O (a local copy when the run is remote). */
    public DriverFolder driverFolder(String name) {
        return DriverFolder.of(fs, location(), name);
    }

    /** {@code candidates/}, read in (generation, candidate id) order. */
    public GenerationTable<CandidateRow> candidates() {
        return new GenerationTable<>(spark, fs, new Path(folder, CANDIDATES), CandidateRow.CODEC,
                GenerationTable.GENERATION, "candidate_id");
    }

    /** {@code population/}, a generation read in population order. */
    public GenerationTable<PopulationMember> population() {
        return new GenerationTable<>(spark, fs, new Path(folder, POPULATION), PopulationMember.CODEC,
                GenerationTable.GENERATION, "position");
    }

    /** {@code generations/}: one summary row per committed generation. */
    public GenerationTable<GenerationSummary> generations() {
        return new GenerationTable<>(spark, fs, new Path(folder, GENERATIONS), GenerationSummary.CODEC,
                GenerationTable.GENERATION);
    }

    /** {@code proposals/}, read in (generation, request, proposal) order. */
    public GenerationTable<ProposalRow> proposals() {
        return new GenerationTable<>(spark, fs, new Path(folder, PROPOSALS), ProposalRow.CODEC,
                GenerationTable.GENERATION, "island", "proposal_index");
    }

    /** {@code final_models/}, read in (rank, seed) order. */
    public ReplacedTable<FinalModelRow> finalModels() {
        return new ReplacedTable<>(spark, fs, new Path(folder, FINAL_MODELS), FinalModelRow.CODEC, "rank", "seed");
    }

    /** {@code space_selection/}, read by rank. */
    public ReplacedTable<SpaceSelectionRow> spaceSelection() {
        return new ReplacedTable<>(spark, fs, new Path(folder, SPACE_SELECTION), SpaceSelectionRow.CODEC, "rank");
    }

    /** {@code teacher_outputs/}. */
    public TeacherOutputsCache teacherOutputs() {
        return new TeacherOutputsCache(new ReplacedTable<>(spark, fs, new Path(folder, TeacherOutputsCache.FOLDER),
                TeacherOutputsCache.CODEC, "image_index"));
    }

    @Override
    public String toString() {
        return "run " + id + " in " + folder;
    }
}
