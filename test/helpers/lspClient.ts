// A real JSON-RPC client for dist/server.js --stdio: what Neovim or Helix would send.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic, Hover, CodeAction, Range } from 'vscode-languageserver';
import type { StatusParams } from '../../server/protocol';
import { REPO, tempModule } from './goEnv';

export type SettingsFor = (scopeUri: string) => Record<string, unknown>;

export class LspClient {
  readonly diagnostics = new Map<string, Diagnostic[]>();
  readonly publishCount = new Map<string, number>();
  readonly statuses: StatusParams[] = [];
  readonly errors: string[] = [];
  readonly configRequests: string[] = [];
  /** window/logMessage lines of the server's log. */
  readonly logs: string[] = [];
  private versions = new Map<string, number>();
  private constructor(readonly conn: MessageConnection, readonly proc: ChildProcess, public settingsFor: SettingsFor) {}

  static async start(settingsFor: SettingsFor = () => ({}), init: Record<string, unknown> = {}, rootDir?: string,
    extraCapabilities: Record<string, unknown> = {}, opts: { env?: NodeJS.ProcessEnv; server?: string; execArgv?: readonly string[] } = {}): Promise<LspClient> {
    const server = opts.server ?? path.join(REPO, 'dist', 'server.js');
    // execArgv: node's own flags before the script, as the VS Code client passes them (server/launch.ts).
    const proc = spawn(process.execPath, [...(opts.execArgv ?? []), server, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'], env: opts.env && { ...process.env, ...opts.env } });
    const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const c = new LspClient(conn, proc, settingsFor);
    conn.onRequest('workspace/configuration', (p: { items: { scopeUri: string; section: string }[] }) =>
      p.items.map((i) => { c.configRequests.push(i.scopeUri); return c.settingsFor(i.scopeUri); }));
    conn.onRequest('client/registerCapability', () => null);
    conn.onRequest('window/workDoneProgress/create', () => null);
    conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Diagnostic[] }) => {
      c.diagnostics.set(p.uri, p.diagnostics);
      c.publishCount.set(p.uri, (c.publishCount.get(p.uri) ?? 0) + 1);
    });
    conn.onNotification('goEscapeLens/status', (p: StatusParams) => c.statuses.push(p));
    conn.onNotification('window/showMessage', (p: { type: number; message: string }) => { if (p.type === 1) c.errors.push(p.message); });
    conn.onRequest('window/showMessageRequest', (p: { type: number; message: string }) => { if (p.type === 1) c.errors.push(p.message); return null; });
    conn.onNotification('window/logMessage', (p: { message: string }) => { c.logs.push(p.message); });
    conn.listen();
    await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: rootDir ? pathToFileURL(rootDir).href : null,
      capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } }, textDocument: { hover: { contentFormat: ['markdown'] } }, ...extraCapabilities },
      initializationOptions: init,
    });
    await conn.sendNotification('initialized', {});
    return c;
  }

  /** Opens `name` of a fresh temp module holding `files`, and waits for its first analysis. */
  async openInModule(files: Record<string, string>, name = Object.keys(files)[0]): Promise<{ dir: string; file: string; uri: string }> {
    const dir = tempModule(files);
    const file = path.join(dir, name);
    const uri = this.open(file);
    await this.settled(file);
    return { dir, file, uri };
  }

  open(file: string, text = fs.readFileSync(file, 'utf8')): string {
    const uri = pathToFileURL(file).href;
    this.versions.set(uri, 1);
    void this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'go', version: 1, text } });
    return uri;
  }

  change(file: string, text: string): void {
    const uri = pathToFileURL(file).href;
    const v = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, v);
    void this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ text }] });
  }

  /** Writes the file, tells the server the buffer changed and was saved, as an editor does. */
  save(file: string, text: string): void {
    fs.writeFileSync(file, text);
    this.change(file, text);
    void this.conn.sendNotification('textDocument/didSave', { textDocument: { uri: pathToFileURL(file).href } });
  }

  close(file: string): void {
    void this.conn.sendNotification('textDocument/didClose', { textDocument: { uri: pathToFileURL(file).href } });
  }

  configChanged(): void {
    void this.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
  }

  hover(file: string, line: number, character: number): Promise<Hover | null> {
    return this.conn.sendRequest('textDocument/hover', { textDocument: { uri: pathToFileURL(file).href }, position: { line, character } });
  }

  codeActions(file: string, range: Range, diagnostics: Diagnostic[] = []): Promise<CodeAction[]> {
    return this.conn.sendRequest('textDocument/codeAction', { textDocument: { uri: pathToFileURL(file).href }, range, context: { diagnostics } });
  }

  resolve(action: CodeAction): Promise<CodeAction> {
    return this.conn.sendRequest('codeAction/resolve', action);
  }

  /** The last status for the package of `file`. */
  status(file: string): StatusParams | undefined {
    const dir = path.dirname(file);
    for (let i = this.statuses.length - 1; i >= 0; i--) if (this.statuses[i].dir === dir) return this.statuses[i];
    return undefined;
  }

  async waitFor<T>(fn: () => T | undefined | false, what: string, ms = 60_000): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const v = fn();
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 2)); // short: the bench measures through this
    }
  }

  /** Waits until the package of `file` is idle after at least `minRuns` go runs. */
  async settled(file: string, minRuns = 1): Promise<StatusParams> {
    return this.waitFor(() => {
      const s = this.status(file);
      return s && s.state !== 'analysing' && s.running === 0 && s.runs >= minRuns ? s : undefined;
    }, `analysis of ${path.basename(file)}`);
  }

  async stop(): Promise<void> {
    try {
      await this.conn.sendRequest('shutdown');
      await this.conn.sendNotification('exit');
    } catch { /* already gone */ }
    this.conn.dispose();
    this.proc.kill();
  }
}
