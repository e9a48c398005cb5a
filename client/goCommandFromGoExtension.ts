// Which go command the Go extension (golang.go) is set up to use, for users who configured it there and
// not in goEscapeLens.goCommand. Same order as the Go extension's getBinPath: an absolute
// `go.alternateTools.go` wins; otherwise `go.goroot`'s bin/go (or the alternate name in it); otherwise an
// alternate name on the PATH. Pure (no vscode import) so it is unit-tested; `~` and ${workspaceFolder},
// ${env:X} are expanded as the Go extension does.
import { executable, HOST, type Platform } from '../core/platform';

export interface GoExtensionSettings {
  /** `go.alternateTools` (only its `go` entry is read). */
  alternateTools?: unknown;
  /** `go.goroot`. */
  goroot?: unknown;
}

export interface Expand {
  home: string;
  workspaceFolder?: string;
  env?: Record<string, string | undefined>;
}

export function expandVariables(value: string, x: Expand, plat: Platform = HOST): string {
  let v = value.replace(/\$\{workspaceFolder\}|\$\{workspaceRoot\}/g, x.workspaceFolder ?? '${workspaceFolder}');
  v = v.replace(/\$\{env:([^}]+)\}/g, (_, name: string) => x.env?.[name] ?? '');
  if (v === '~' || v.startsWith('~/') || (plat.windows && v.startsWith('~\\'))) v = plat.path.join(x.home, v.slice(1));
  return v;
}

/** The go command the Go extension's settings name, or undefined when they name none. */
export function goCommandFromGoExtension(s: GoExtensionSettings, x: Expand, plat: Platform = HOST): string | undefined {
  const tools = s.alternateTools && typeof s.alternateTools === 'object' ? s.alternateTools as Record<string, unknown> : {};
  const alt = typeof tools.go === 'string' && tools.go.trim() ? expandVariables(tools.go.trim(), x, plat) : undefined;
  const goroot = typeof s.goroot === 'string' && s.goroot.trim() ? expandVariables(s.goroot.trim(), x, plat) : undefined;
  if (alt && plat.path.isAbsolute(alt)) return alt;
  if (goroot) return plat.path.join(goroot, 'bin', executable(alt ?? 'go', plat));
  return alt;
}
