// The CLI's exit codes: docs/cli.md's "Exit codes" table and the help text list each (test/docs checks).
// A signal ends the CLI with 128 + its number (129 SIGHUP, 130 SIGINT, 143 SIGTERM), as shells report; a
// reader that closes stdout early ends it with 141, as SIGPIPE ends a Unix filter.
export const EXIT = { ok: 0, findings: 1, usage: 2, buildFailed: 3, goFailed: 4, internal: 5, pipeClosed: 141 } as const;
