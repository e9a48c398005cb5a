// Messages between the language server and the VS Code client beyond LSP. Types only: both sides
// import this file, neither pulls the other's dependencies.

export const STATUS_NOTIFICATION = 'goEscapeLens/status';
export const REANALYZE_COMMAND = 'goEscapeLens.reanalyze';
export const SHOW_PATH_COMMAND = 'goEscapeLens.showEscapePath';

export type StatusState = 'analysing' | 'done' | 'failed' | 'off' | 'excluded';

/** Sent for each package directory whenever its state changes. */
export interface StatusParams {
  /** The package directory. */
  dir: string;
  /** Open files of that package, as URIs, so the client can show the status for the active editor. */
  uris: string[];
  state: StatusState;
  /** Unsuppressed heap findings per open file URI. */
  heap: Record<string, number>;
  suppressed: Record<string, number>;
  /** One line for the status bar tooltip: the first compile error, or why nothing runs. */
  message?: string;
  /** How many go processes the server started for this package so far, and how many are running now. */
  runs: number;
  running: number;
  /** Quick fixes verified for the last analysis; absent while verification is pending or off. */
  fixes?: number;
  /**
   * While the go command downloads before it can build: `Go toolchain go1.23.4 (linux/amd64)` (a go.mod
   * `toolchain` line under GOTOOLCHAIN=auto) or `module github.com/x/y v1.2.3`. The state stays `analysing`.
   */
  downloading?: string;
}

/** initializationOptions the VS Code client sends. */
export interface InitOptions {
  /** False in an untrusted workspace: the server then never runs a process. */
  trusted?: boolean;
}
