// What the editor draws, as data: each presentation rule with an id, the setting that controls it and the
// reason it exists. `present()` applies them; docs/editor.md's "What is shown by default" section, the
// settings' descriptions and the acceptance test (squiggles per 1,000 lines per rule) read this table.

export type Severity = 'error' | 'warning' | 'information' | 'hint' | 'off';

/** Where an item of the presentation goes. */
export type Display =
  | 'squiggle'   // a diagnostic of the tier's severity: an allocation worth acting on
  | 'hint'       // a hint-severity diagnostic (three dots in VS Code, not in the Problems panel): cold code
  | 'signature'  // a parameter summary, shown once at the function's signature (inlay hint), path on hover
  | 'hidden';    // only in the Escapes view, `--all` and JSON

export interface PresentRule {
  id: string;
  /** The `goEscapeLens.` setting that turns the rule off (or tunes it). */
  setting: string;
  /** What the rule does, in a few words. */
  does: string;
  /** Why: the reason a user would agree with. */
  why: string;
}

const R = (id: string, setting: string, does: string, why: string): PresentRule => ({ id, setting, does, why });

/** In the order `present()` asks them; the first rule that places a finding decides its display. */
export const PRESENT_RULES: readonly PresentRule[] = [
  R('suppressed', '(//escape:ignore)', 'hidden',
    'The user said so in the code; still counted and listed with its reason.'),
  R('policy', '.escapelens.json', 'the project\'s policy first: ignore hides, warn/fail draw a warning/error squiggle, log keeps the rules below',
    'A team\'s written decision (an L3 leak fails the build) beats the editor\'s defaults; a changed goEscapeLens.severity.* setting overrides the policy for that tier.'),
  R('param-summary', 'parameterHints', 'at the signature, once per parameter (inlay hint); receivers\' content leaks only on hover',
    '`leaking param` lines state what a function does with its callers\' arguments: there is no allocation at that line. Callers\' findings name the leaking parameter where it matters.'),
  R('not-heap', 'showNonEscaping / showInlining', 'hidden unless one of those settings is on (then a hint)',
    '"does not escape", inlining and compiler notes are not allocations.'),
  R('no-allocation', 'showNonAllocating', 'hidden (a hint when the setting is on)',
    'Boxed constants, single bytes and zero-size values escape without allocating: nothing to act on.'),
  R('grouped-call', 'groupCalls', 'one finding per variadic call: "3 values boxed for fmt.Printf", squiggled under the callee',
    'One call with four operands is one decision (use a typed call or strconv), not four.'),
  R('grouped-inlined', 'groupCalls', 'one finding at the call for an allocation inlined from a callee: "fmt.Errorf allocates here (inlined)"',
    'The allocation is the callee\'s code; its explanation is inside the callee, and the call is what the user can change.'),
  R('inlined-local', 'groupCalls', 'hint severity at the calls of a function of this package whose own body shows the same allocation',
    'The allocation is squiggled once, where it is written; every call that inlines it would repeat it (4,656 inlined findings carried 651 distinct messages in the corpus).'),
  R('duplicate', '(always)', 'findings with the same message on one line are one',
    'A line never carries the same squiggle twice.'),
  R('profile-hot', 'profileWarningShare', 'warning severity when the line holds at least this share of the heap profile\'s bytes (default 1 %)',
    'Measured cost beats every heuristic: at most 100 lines can hold 1 % each, and those are the ones worth fixing first. Overrides the cold rules.'),
  R('cold-generated', 'showInGeneratedFiles', 'hint severity in files marked "// Code generated ... DO NOT EDIT."',
    'Generated code is changed by changing its generator.'),
  R('cold-init', 'cold.init', 'hint severity in init functions and package-level variable initialisers',
    'They run once per process.'),
  R('cold-panic', 'cold.panic', 'hint severity for arguments of panic(...)',
    'A panic is not a hot path.'),
  R('cold-error', 'cold.errors', 'hint severity for error construction: errors.New, fmt.Errorf, errors.Join/Wrap*, and &…Error{…} in a return',
    'Errors are built on the failure path; hoisting sentinels is offered as a quick fix where it applies.'),
  R('cold-logging', 'cold.logging', 'hint severity for arguments of logging calls (see LOG_PACKAGES / LOG_METHODS)',
    'Log lines are usually off the hot path, and often disabled at run time; structured loggers allocate by design.'),
  R('allocation', 'severity.L1 / .L2 / .L3', 'a squiggle of the tier\'s severity',
    'What is left: a heap allocation in this function\'s ordinary code.'),
];

/** Packages whose functions are logging calls (`log.Printf`, `slog.Info`, `logrus.WithField(...).Info`). */
export const LOG_PACKAGES: readonly string[] = ['log', 'slog', 'logrus', 'klog', 'glog', 'zap', 'zerolog', 'logr'];

/** Method names that log on any receiver (`logger.Infof`, `t.Logf`, `entry.Warn`). */
export const LOG_METHODS: readonly string[] = [
  'Debug', 'Debugf', 'Debugln', 'Debugw', 'Info', 'Infof', 'Infoln', 'Infow', 'Warn', 'Warnf', 'Warnln', 'Warnw',
  'Warning', 'Warningf', 'Warningln', 'Error', 'Errorf', 'Errorln', 'Errorw', 'Fatal', 'Fatalf', 'Fatalln', 'Fatalw',
  'Panic', 'Panicf', 'Panicln', 'Panicw', 'DPanic', 'DPanicf', 'DPanicw', 'Print', 'Printf', 'Println', 'Trace',
  'Tracef', 'Traceln', 'Log', 'Logf', 'LogAttrs', 'Skip', 'Skipf', 'Msg', 'Msgf',
];

/** Calls that construct an error value (cold: the failure path). */
export const ERROR_CONSTRUCTORS: readonly string[] = [
  'errors.New', 'fmt.Errorf', 'errors.Join', 'errors.Wrap', 'errors.Wrapf', 'errors.WithMessage', 'errors.WithMessagef',
  'errors.WithStack', 'errors.Errorf',
];

/** The presentation settings (a subset of the server's settings; the CLI uses the defaults). */
export interface PresentSettings {
  severity: { L1: Severity; L2: Severity; L3: Severity; info: Severity };
  showNonEscaping: boolean;
  showInlining: boolean;
  showNonAllocating: boolean;
  parameterHints: boolean;
  groupCalls: boolean;
  showInGeneratedFiles: boolean;
  cold: { panic: boolean; errors: boolean; logging: boolean; init: boolean };
  /** A finding whose line holds at least this share of the profile's bytes is a warning (0 turns it off). */
  profileWarningShare: number;
}

export const DEFAULT_PRESENT: PresentSettings = {
  severity: { L1: 'information', L2: 'information', L3: 'information', info: 'hint' },
  showNonEscaping: false,
  showInlining: false,
  showNonAllocating: false,
  parameterHints: true,
  groupCalls: true,
  showInGeneratedFiles: false,
  cold: { panic: true, errors: true, logging: true, init: true },
  profileWarningShare: 0.01,
};
