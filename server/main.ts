// The language server: LSP wiring only. `node dist/server.js --stdio` for any editor; VS Code uses IPC.
import type { Progress } from './engine/progress';
import {
  CodeActionKind, CodeLensRefreshRequest, createConnection, ErrorCodes, ResponseError, DidChangeConfigurationNotification, ProposedFeatures, TextDocuments,
  TextDocumentSyncKind, type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SourceCache } from '../core/locate/sourceCache';
import { Engine } from './engine/engine';
import { hoverFor } from './features/hover';
import { GRAPH_REQUEST } from './protocol';
import type { Position } from 'vscode-languageserver';
import { readFromDisk } from '../core/locate/sourceCache';
import { DeepService } from './features/deep';
import { ESCAPES_CHANGED, ESCAPES_REQUEST, REANALYZE_COMMAND, STATUS_NOTIFICATION, type EscapesParams, type InitOptions } from './protocol';
import { inlayHints } from './features/inlayHints';
import { targetKey } from '../core/fixes/model';
import { contains } from './features/hover';
import { SettingsCache } from './settings';
import { codeActions } from './features/codeActions';
import { Measurer } from './features/measure';
import { measureLenses } from './features/measureLens';
import { MEASURE_COMMAND } from './protocol';
import * as path from 'node:path';
import { contractActions, contractHover } from './features/contracts';
import { uriToPath } from '../core/platform';
import { endAllOnEveryWayOut } from '../core/run/processes';
import { trustFrom } from './trust';
import { POLICY_FILE } from '../core/policy/policy';

// LSP exit, stdin closing and the editor's process going away all end in process.exit; signals and
// uncaught errors are caught: every go process tree and temp dir of ours ends with the server.
endAllOnEveryWayOut({ report: (m) => process.stderr.write(`go-escape-lens server: ${m}\n`), errorExitCode: 1 });

const connection = createConnection(ProposedFeatures.all);
// Anything a dependency prints must not corrupt the stdio protocol stream.
console.log = (...a: unknown[]) => connection.console.log(a.map(String).join(' '));
console.error = (...a: unknown[]) => connection.console.error(a.map(String).join(' '));

const documents = new TextDocuments(TextDocument);
let engine: Engine | undefined;
let deep: DeepService | undefined;
let measurer: Measurer | undefined;
let trusted = true;
let pullConfig = false;
let inlayRefresh = false;
/** How long a hover waits for a path across packages being followed (the first walk compiles dependencies). */
const DEEP_HOVER_WAIT_MS = 20_000;
/** How long a lightbulb waits for a fix verification under way for the finding it is asked about. */
const FIX_WAIT_MS = 4000;

connection.onInitialize(async (params): Promise<InitializeResult> => {
  const init = (params.initializationOptions ?? {}) as InitOptions;
  pullConfig = !!params.capabilities.workspace?.configuration;
  inlayRefresh = !!params.capabilities.workspace?.inlayHint?.refreshSupport;
  const settings = new SettingsCache((scopeUri) => pullConfig
    ? connection.workspace.getConfiguration({ scopeUri, section: 'goEscapeLens' })
    // Clients without workspace/configuration: settings from initializationOptions (`{goEscapeLens: {...}}`).
    : Promise.resolve((init as { goEscapeLens?: unknown }).goEscapeLens ?? init));
  // The Go parser helper is built on first use with the analysis' go command (never here: go may be missing).
  const sources = new SourceCache();
  const trust = trustFrom(init);
  connection.console.log(`Go Escape Lens server ${trust.log}`);
  engine = new Engine({
    documents: () => documents.all().map((d) => ({ uri: d.uri, version: d.version, text: d.getText() })),
    publish: (uri, diagnostics, version) => void connection.sendDiagnostics({ uri, diagnostics, version }),
    status: (p) => void connection.sendNotification(STATUS_NOTIFICATION, p),
    log: (m) => connection.console.log(m),
    showError: (m) => void connection.window.showErrorMessage(m),
    escapesChanged: () => { void connection.sendNotification(ESCAPES_CHANGED); if (inlayRefresh) void connection.languages.inlayHint.refresh(); },
    decorate: (dir, findings) => measurer?.decorate(dir, findings),
    progress: workDoneProgress,
  }, settings, sources, trust.trusted);
  deep = new DeepService(settings, trust.trusted, (m) => connection.console.log(m));
  trusted = trust.trusted;
  const lensRefresh = !!params.capabilities.workspace?.codeLens?.refreshSupport;
  measurer = new Measurer({
    settings: (uri) => settings.get(uri),
    progress: (title) => workDoneProgress(title, 'building the test binary'),
    log: (m) => connection.console.log(m),
    showMessage: (m) => void connection.window.showInformationMessage(m),
    refresh: () => { if (lensRefresh) void connection.sendRequest(CodeLensRefreshRequest.type); },
  }, sources, trust.trusted, (dir) => engine?.packageFindings(dir) ?? []);
  connection.onDidChangeConfiguration(() => { settings.clear(); void engine?.reanalyzeAll(); });
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      hoverProvider: true,
      inlayHintProvider: true,
      // Fixes are verified ahead of time per package content, so actions come complete (no resolve step).
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      executeCommandProvider: { commands: [REANALYZE_COMMAND, MEASURE_COMMAND] },
      // Benchmarks run only from these lenses (or the command): never on their own.
      codeLensProvider: trust.trusted ? { resolveProvider: false } : undefined,
    },
    serverInfo: { name: 'go-escape-lens' },
  };
});

/** A cancellable work-done progress in the client (server-initiated, so it works in any LSP editor). */
async function workDoneProgress(title: string, first = ''): Promise<Progress> {
  const reporter = await connection.window.createWorkDoneProgress();
  const abort = new AbortController();
  reporter.token.onCancellationRequested(() => abort.abort());
  reporter.begin(title, 0, first, true);
  return {
    report: (p, m) => (p === undefined ? reporter.report(m) : reporter.report(p, m)),
    done: () => reporter.done(),
    signal: abort.signal,
  };
}

connection.onInitialized(() => {
  if (pullConfig) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'goEscapeLens' });
});

// The client watches .escapelens.json files (a policy edit changes severities without any Go file saved).
connection.onDidChangeWatchedFiles((p) => {
  for (const c of p.changes) {
    const file = uriToPath(c.uri);
    if (file && path.basename(file) === POLICY_FILE) void engine?.policyChanged(file);
  }
});

documents.onDidOpen((e) => void engine?.onEvent(e.document.uri, 'open'));
documents.onDidSave((e) => void engine?.onEvent(e.document.uri, 'save'));
documents.onDidChangeContent((e) => { if (e.document.version > 1) void engine?.onEvent(e.document.uri, 'change'); });
documents.onDidClose((e) => engine?.onClose(e.document.uri));

connection.onHover(async (p, token) => {
  const doc = documents.get(p.textDocument.uri);
  if (!doc || !engine) return null;
  // Only the items on the hovered line: the answer is theirs, and it costs the same in a file of any size.
  const { items, stale } = engine.itemsOnLine(doc.uri, doc.getText(), p.position.line);
  // Paths across packages: started on the first hover, which waits for them (bounded); cached ones are ready at once.
  await deep?.prepare(doc.uri, items.flatMap((i) => i.members), p.position, DEEP_HOVER_WAIT_MS, token);
  if (token.isCancellationRequested) return null;
  const hover = hoverFor(items, p.position, engine.codeContext(), stale);
  // A broken contract at the spot is explained first, above the finding that broke it.
  const own = hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : undefined;
  const contract = doc.uri.startsWith('file:') ? contractHover(engine.contractsFor(doc.uri), (uriToPath(doc.uri) ?? ''), p.position, own) : undefined;
  if (!contract) return hover;
  return { contents: { kind: 'markdown', value: contract }, ...(hover?.range ? { range: hover.range } : {}) };
});

connection.onRequest(GRAPH_REQUEST, async (p: { uri: string; position: Position }) => {
  const doc = documents.get(p.uri);
  if (!engine || !deep) return null;
  const findings = engine.findingsFor(p.uri, doc?.getText() ?? readFromDisk(uriToPath(p.uri) ?? '') ?? '');
  return (await deep.graph(p.uri, findings, p.position)) ?? null;
});

connection.onCodeLens((p) => {
  const doc = documents.get(p.textDocument.uri);
  if (!doc || !engine || !measurer || !trusted || !doc.uri.startsWith('file:')) return [];
  const file = (uriToPath(doc.uri) ?? '');
  const dir = path.dirname(file);
  return measureLenses(doc.uri, file, doc.getText(), engine.findingsFor(doc.uri, doc.getText()),
    { running: measurer.isRunning(dir), benchmarks: measurer.state(dir) });
});

connection.onShutdown(() => measurer?.cancelAll());


connection.languages.inlayHint.on((p) => {
  const doc = documents.get(p.textDocument.uri);
  if (!doc || !engine) return [];
  return inlayHints(engine.signatureItems(doc.uri, doc.getText(), p.range.start.line, p.range.end.line), p.range, engine.codeContext());
});

connection.onRequest(ESCAPES_REQUEST, (p: EscapesParams) => engine?.escapes(p) ?? null);

connection.onCodeAction(async (p) => {
  // A malformed request from another editor gets one line back, never a TypeError from deep inside.
  if (!p?.textDocument || !p.range?.start || !p.range.end) throw new ResponseError(ErrorCodes.InvalidParams, 'textDocument/codeAction needs a textDocument and a range');
  const diagnostics = Array.isArray(p.context?.diagnostics) ? p.context.diagnostics : [];
  const doc = documents.get(p.textDocument.uri);
  if (!doc || !engine) return [];
  const here = engine.findingsOnLines(doc.uri, doc.getText(), p.range).filter((f) => contains(f.range, p.range.start) || contains(p.range, f.range.start));
  await engine.fixesReady(doc.uri, here.map(targetKey), FIX_WAIT_MS);
  const text = doc.getText();
  const contract = doc.uri.startsWith('file:') ? contractActions(engine.contractsFor(doc.uri), (uriToPath(doc.uri) ?? ''), p.range, diagnostics) : [];
  // Only those sharing a line with the range can overlap it (what codeActions keeps).
  const findings = engine.findingsOnLines(doc.uri, text, p.range);
  const src = engine.sourceFor(doc.uri, text);
  // An edited buffer's syntax tree (for suppression edits) comes from the parser helper without blocking the server.
  if (findings.length > 0) await src?.load().catch(() => undefined);
  return [...codeActions(findings, doc, p.range, src,
    engine.fixesFor(doc.uri, text)?.byTarget, diagnostics, engine.codeContext()), ...contract];
});

connection.onExecuteCommand(async (p) => {
  if (p.command === REANALYZE_COMMAND) {
    const uri = (p.arguments?.[0] as string | undefined) ?? documents.all()[0]?.uri;
    if (uri) await engine?.reanalyze(uri);
  }
  if (p.command === MEASURE_COMMAND) {
    const [uri, benchmark] = (p.arguments ?? []) as [string | undefined, string | undefined];
    if (uri) void measurer?.measure(uri, benchmark);
  }
});

documents.listen(connection);
connection.listen();
