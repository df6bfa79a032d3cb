/**
 * Where the driver's text goes: the full log to a file ({@link io.sparknas.logging.RunLog}), what libraries print
 * themselves into that log ({@link io.sparknas.logging.LibraryOutput}), and outside text made safe for the console
 * ({@link io.sparknas.logging.ConsoleText}). The package sits at the bottom of the driver's package graph: it uses
 * log4j2 and the JDK only, so every other package may call it.
 */
package io.sparknas.logging;
