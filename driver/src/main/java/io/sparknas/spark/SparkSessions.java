package io.sparknas.spark;

import io.sparknas.config.SparkSettings;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Creates the application's Spark session from {@link SparkSettings}. A master set by spark-submit wins over the
 * configured one, so the same jar runs locally and on a cluster.
 */
public final class SparkSessions {

    private SparkSessions() {
    }

    /** Gets or creates the session. */
    public static SparkSession create(SparkSettings settings) {
        SparkConf conf = new SparkConf();
        if (!conf.contains("spark.master")) {
            conf.setMaster(settings.master());
        }
        conf.setAppName(settings.appName());
        if (!conf.contains("spark.ui.enabled")) {
            conf.set("spark.ui.enabled", Boolean.toString(settings.ui()));
        }
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        conf.setIfMissing("spark.sql.shuffle.partitions", "8");
        SparkSession session = SparkSession.builder().config(conf).getOrCreate();
        session.sparkContext().setLogLevel("WARN");
        return session;
    }

    /**
     * Whether spark-submit (or a {@code spark.master} system property) chose the master, so the configuration's
     * {@code spark} section does not decide the session.
     */
    public static boolean submitted() {
        return new SparkConf().contains("spark.master");
    }

    /** The web UI address, or a note that it is off. */
    public static String uiAddress(SparkSession session) {
        scala.Option<String> url = session.sparkContext().uiWebUrl();
        return url.isDefined() ? url.get() : "(Spark UI disabled)";
    }
}
