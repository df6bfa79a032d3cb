package io.sparknas.config;

/**
 * How the Spark session is created.
 *
 * @param master  the master URL; ignored when spark-submit already set one
 * @param appName the application name
 * @param ui      whether to start the web UI
 */
public record SparkSettings(String master, String appName, boolean ui) {
}
