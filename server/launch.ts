// How the server's node process is started: the VS Code client (client/extension.ts) and the benchmark
// (bench/server.ts) share these flags, so the benchmark measures what users run.

/**
 * node's flags for the server process: none. A bigger young generation raised the peak resident set of a
 * big package's save (its intermediate data lives for seconds and is promoted anyway); a slower-growing
 * old generation lowered the peak only at a large cost in the server's CPU and in time per save. A flag
 * added here reaches VS Code users and the benchmark alike; other editors start `node dist/server.js
 * --stdio` and would need it on their own command line.
 */
export const SERVER_EXEC_ARGV: readonly string[] = [];

/**
 * Environment the server's process starts with, on top of the editor's. glibc (Linux) serves a large
 * malloc from a mapping of its own, given back to the system when freed, until it frees such a mapping:
 * it then raises that threshold to the freed size, so the next parse tree of a big file comes from its
 * main heap, which does not shrink. A fixed threshold keeps those buffers in mappings that are given
 * back. Other C libraries ignore the variable.
 */
export const SERVER_ENV: Readonly<Record<string, string>> = { MALLOC_MMAP_THRESHOLD_: '131072' };
