// Messages between the language server and the VS Code client beyond LSP. Types only: both sides
// import this file, neither pulls the other's dependencies.
import type { EscapesFilter, EscapesTree, GroupBy } from '../core/present/escapesTree';

export const STATUS_NOTIFICATION = 'goEscapeLens/status';
export const REANALYZE_COMMAND = 'goEscapeLens.reanalyze';
export const SHOW_PATH_COMMAND = 'goEscapeLens.showEscapePath';
/** Client command (hover link, command palette): opens the graph of the finding at a position. */
export const SHOW_GRAPH_COMMAND = 'goEscapeLens.showGraph';
/** Request from the client: `{ uri, position }` → the FlowGraph (core/deep/graph.ts) of the finding there, or null. */
export const GRAPH_REQUEST = 'goEscapeLens/graph';
/** Server command: measure benchmarks, arguments `[uri, benchmark?]` (all of the package without a name). */
export const MEASURE_COMMAND = 'goEscapeLens.measure';
/** Client command a lens may name: opens the settings UI at one setting (argument: its id). */
export const OPEN_SETTING_COMMAND = 'goEscapeLens.openSetting';

export type StatusState = 'analysing' | 'done' | 'failed' | 'off' | 'excluded';

/** Sent for each package directory whenever its state changes. */
export interface StatusParams {
  /** The package directory. */
  dir: string;
  /** Open files of that package, as URIs, so the client can show the status for the active editor. */
  uris: string[];
  state: StatusState;
  /** Squiggles per open file URI: what the Problems panel lists for the file (hints are not listed there). */
  heap: Record<string, number>;
  /** Hint-level marks per open file (cold code), drawn as dots. */
  hints?: Record<string, number>;
  /** Every finding of the file, as the Escapes view counts them (squiggles, hints, grouped, summaries, hidden). */
  findings?: Record<string, number>;
  /** Suppressed findings per open file (//escape:ignore). */
  suppressed: Record<string, number>;
  /** The package's squiggles and findings (of its open files, or of all files once the Escapes view is open). */
  packageSquiggles?: number;
  packageFindings?: number;
  /** The package counts cover every file (the Escapes view asked), not only the open ones. */
  wholePackage?: boolean;
  /** The findings shown are from the last successful build. */
  stale?: boolean;
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

/** The Escapes view's data: the client sends its grouping and filters, the server answers with the tree. */
export const ESCAPES_REQUEST = 'goEscapeLens/escapes';
/** The server's findings changed: the view asks again. */
export const ESCAPES_CHANGED = 'goEscapeLens/escapesChanged';
export const SHOW_ESCAPES_COMMAND = 'goEscapeLens.showEscapesView';

export interface EscapesParams {
  groupBy: GroupBy;
  filter: EscapesFilter;
}

export type EscapesResult = EscapesTree;
