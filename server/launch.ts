// How the server's node process is started: the VS Code client (client/extension.ts) and the benchmark
// (bench/server.ts) share these flags, so the benchmark measures what users run.

/**
 * node's flags for the server process: none. Measured on the ~600k-line package (README, Performance,
 * "The server's node flags"): a bigger young generation (`--max-semi-space-size=32|64`) raised the peak
 * RSS (958 MB vs 771) because the analysis' intermediate data lives for seconds and is promoted anyway; a
 * slower-growing old generation (`--heap-growing-percent=20|40`, `--optimize-for-size`) lowered the peak
 * to 540–730 MB, still above 400 MB, for +18–65 % of the server's CPU and seconds more per save. A flag
 * added here reaches VS Code users and the benchmark alike; other editors start `node dist/server.js
 * --stdio` and would need it on their own command line.
 */
export const SERVER_EXEC_ARGV: readonly string[] = [];

/**
 * Environment the server's process starts with, on top of the editor's. glibc (Linux) serves a malloc of
 * 128 kB or more from a mapping of its own, given back to the system when freed, until it frees such a
 * mapping: it then raises that threshold to the freed size (up to 32 MB), so the next tree of a big file
 * (a 27 MB buffer for a 1.6 MB file) comes from its main heap, which does not shrink. Fixed at 128 kB, a
 * save of the ~600k-line package peaked ~50 MB lower (README, "The server's node flags"). Other C
 * libraries ignore the variable.
 */
export const SERVER_ENV: Readonly<Record<string, string>> = { MALLOC_MMAP_THRESHOLD_: '131072' };
