// The `goEscapeLens` settings: validated with defaults, pulled per resource with workspace/configuration,
// cached per scope and dropped on change. package.json's `contributes.configuration` documents each key.
import { DEFAULT_PRESENT, type PresentSettings, type Severity } from '../core/present/rules';

export type { Severity };

/** The presentation settings (core/present/rules.ts: what is a squiggle, a hint, a mark at the signature) and the rest. */
export interface Settings extends PresentSettings {
  enable: boolean;
  goCommand: string;
  buildFlags: string[];
  gcflags: string[];
  env: Record<string, string>;
  run: 'onSave' | 'onType';
  debounceMs: number;
  includeTests: boolean;
  timeoutSeconds: number;
  maxDiagnosticsPerFile: number;
  quickFixes: boolean;
  heapProfile: string;
  /** Follow paths into the callees' packages on hover (see server/features/deep.ts). */
  deepPaths: boolean;
}

export const DEFAULTS: Settings = {
  enable: true,
  goCommand: 'go',
  buildFlags: [],
  gcflags: [],
  env: {},
  run: 'onSave',
  debounceMs: 400,
  showNonEscaping: false,
  showInlining: false,
  includeTests: false,
  severity: { L1: 'information', L2: 'information', L3: 'information', info: 'hint' },
  timeoutSeconds: 120,
  maxDiagnosticsPerFile: 500,
  showInGeneratedFiles: false,
  quickFixes: true,
  heapProfile: '',
  deepPaths: true,
  showNonAllocating: DEFAULT_PRESENT.showNonAllocating,
  parameterHints: DEFAULT_PRESENT.parameterHints,
  groupCalls: DEFAULT_PRESENT.groupCalls,
  cold: { ...DEFAULT_PRESENT.cold },
  profileWarningShare: DEFAULT_PRESENT.profileWarningShare,
};

const SEVERITIES = new Set<Severity>(['error', 'warning', 'information', 'hint', 'off']);

function bool(v: unknown, d: boolean): boolean { return typeof v === 'boolean' ? v : d; }
function str(v: unknown, d: string): string { return typeof v === 'string' && v.trim() !== '' ? v : d; }
function num(v: unknown, d: number, min: number, max: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : d;
}
function strings(v: unknown): string[] { return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []; }
function sev(v: unknown, d: Severity): Severity { return SEVERITIES.has(v as Severity) ? (v as Severity) : d; }

/** Any value (from any editor's configuration) → complete, valid settings. */
export function validate(raw: unknown): Settings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const s = (r.severity && typeof r.severity === 'object' ? r.severity : {}) as Record<string, unknown>;
  const cold = (r.cold && typeof r.cold === 'object' ? r.cold : {}) as Record<string, unknown>;
  const env: Record<string, string> = {};
  if (r.env && typeof r.env === 'object') {
    for (const [k, v] of Object.entries(r.env as Record<string, unknown>)) if (typeof v === 'string') env[k] = v;
  }
  return {
    enable: bool(r.enable, DEFAULTS.enable),
    goCommand: str(r.goCommand, DEFAULTS.goCommand),
    buildFlags: strings(r.buildFlags),
    gcflags: strings(r.gcflags),
    env,
    run: r.run === 'onType' ? 'onType' : 'onSave',
    debounceMs: num(r.debounceMs, DEFAULTS.debounceMs, 50, 10_000),
    showNonEscaping: bool(r.showNonEscaping, DEFAULTS.showNonEscaping),
    showInlining: bool(r.showInlining, DEFAULTS.showInlining),
    includeTests: bool(r.includeTests, DEFAULTS.includeTests),
    severity: {
      L1: sev(s.L1, DEFAULTS.severity.L1),
      L2: sev(s.L2, DEFAULTS.severity.L2),
      L3: sev(s.L3, DEFAULTS.severity.L3),
      info: sev(s.info, DEFAULTS.severity.info),
    },
    timeoutSeconds: num(r.timeoutSeconds, DEFAULTS.timeoutSeconds, 5, 3600),
    maxDiagnosticsPerFile: num(r.maxDiagnosticsPerFile, DEFAULTS.maxDiagnosticsPerFile, 1, 100_000),
    showInGeneratedFiles: bool(r.showInGeneratedFiles, DEFAULTS.showInGeneratedFiles),
    quickFixes: bool(r.quickFixes, DEFAULTS.quickFixes),
    heapProfile: typeof r.heapProfile === 'string' ? r.heapProfile.trim() : DEFAULTS.heapProfile,
    deepPaths: bool(r.deepPaths, DEFAULTS.deepPaths),
    showNonAllocating: bool(r.showNonAllocating, DEFAULTS.showNonAllocating),
    parameterHints: bool(r.parameterHints, DEFAULTS.parameterHints),
    groupCalls: bool(r.groupCalls, DEFAULTS.groupCalls),
    cold: {
      panic: bool(cold.panic, DEFAULTS.cold.panic),
      errors: bool(cold.errors, DEFAULTS.cold.errors),
      logging: bool(cold.logging, DEFAULTS.cold.logging),
      init: bool(cold.init, DEFAULTS.cold.init),
    },
    profileWarningShare: num(r.profileWarningShare, DEFAULTS.profileWarningShare, 0, 1),
  };
}

/** Settings per scope URI, fetched once and kept until the client says they changed. */
export class SettingsCache {
  private readonly cache = new Map<string, Promise<Settings>>();

  constructor(private readonly fetch: (scopeUri: string) => Promise<unknown>) {}

  get(scopeUri: string): Promise<Settings> {
    let p = this.cache.get(scopeUri);
    if (!p) {
      p = this.fetch(scopeUri).then(validate, () => DEFAULTS);
      this.cache.set(scopeUri, p);
    }
    return p;
  }

  clear(): void { this.cache.clear(); }
}
