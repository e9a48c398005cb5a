// Whether the server may run the go command in this workspace. VS Code's client sends its workspace
// trust as `initializationOptions.trusted`; other editors have no trust model, so the server runs unless
// told `false`. Only a boolean counts: anything else (the string "false", a number) runs nothing, and
// the log says why, rather than guessing what was meant.

export interface Trust {
  trusted: boolean;
  /** One line for the server's log: the mode it runs in, and why. */
  log: string;
}

export function trustFrom(init: unknown): Trust {
  const value = init && typeof init === 'object' ? (init as { trusted?: unknown }).trusted : undefined;
  if (value === undefined) {
    return { trusted: true, log: 'trusted: runs the go command (initializationOptions.trusted not set; send false to run nothing)' };
  }
  if (value === true) return { trusted: true, log: 'trusted: runs the go command (initializationOptions.trusted = true)' };
  if (value === false) return { trusted: false, log: 'untrusted: runs nothing (initializationOptions.trusted = false)' };
  return {
    trusted: false,
    log: `untrusted: runs nothing (initializationOptions.trusted must be true or false, got ${JSON.stringify(value) ?? String(value)})`,
  };
}
