// The language server: LSP wiring only. `node dist/server.js --stdio` for any editor; VS Code uses IPC.
import {
  CodeActionKind, createConnection, DidChangeConfigurationNotification, ProposedFeatures, TextDocuments,
  TextDocumentSyncKind, type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { loadGoParser } from '../core/locate/goParser';
import { SourceCache } from '../core/locate/sourceCache';
import { Engine } from './engine';
import { hoverFor } from './hover';
import { REANALYZE_COMMAND, STATUS_NOTIFICATION, type InitOptions } from './protocol';
import { SettingsCache } from './settings';
import { codeActions } from './codeActions';
import { contractActions, contractHover } from './contracts';
import { fileURLToPath } from 'node:url';

const connection = createConnection(ProposedFeatures.all);
// Anything a dependency prints must not corrupt the stdio protocol stream.
console.log = (...a: unknown[]) => connection.console.log(a.map(String).join(' '));
console.error = (...a: unknown[]) => connection.console.error(a.map(String).join(' '));

const documents = new TextDocuments(TextDocument);
let engine: Engine | undefined;
let pullConfig = false;

connection.onInitialize(async (params): Promise<InitializeResult> => {
  const init = (params.initializationOptions ?? {}) as InitOptions;
  pullConfig = !!params.capabilities.workspace?.configuration;
  const settings = new SettingsCache((scopeUri) => pullConfig
    ? connection.workspace.getConfiguration({ scopeUri, section: 'goEscapeLens' })
    // Clients without workspace/configuration: settings from initializationOptions (`{goEscapeLens: {...}}`).
    : Promise.resolve((init as { goEscapeLens?: unknown }).goEscapeLens ?? init));
  const sources = new SourceCache(await loadGoParser());
  engine = new Engine({
    documents: () => documents.all().map((d) => ({ uri: d.uri, version: d.version, text: d.getText() })),
    publish: (uri, diagnostics, version) => void connection.sendDiagnostics({ uri, diagnostics, version }),
    status: (p) => void connection.sendNotification(STATUS_NOTIFICATION, p),
    log: (m) => connection.console.log(m),
    showError: (m) => void connection.window.showErrorMessage(m),
  }, settings, sources, init.trusted !== false);
  connection.onDidChangeConfiguration(() => { settings.clear(); void engine?.reanalyzeAll(); });
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      hoverProvider: true,
      // Fixes are verified ahead of time per package content, so actions come complete (no resolve step).
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      executeCommandProvider: { commands: [REANALYZE_COMMAND] },
    },
    serverInfo: { name: 'go-escape-lens' },
  };
});

connection.onInitialized(() => {
  if (pullConfig) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'goEscapeLens' });
});

documents.onDidOpen((e) => void engine?.onEvent(e.document.uri, 'open'));
documents.onDidSave((e) => void engine?.onEvent(e.document.uri, 'save'));
documents.onDidChangeContent((e) => { if (e.document.version > 1) void engine?.onEvent(e.document.uri, 'change'); });
documents.onDidClose((e) => engine?.onClose(e.document.uri));

connection.onHover((p) => {
  const doc = documents.get(p.textDocument.uri);
  if (!doc || !engine) return null;
  const hover = hoverFor(engine.findingsFor(doc.uri, doc.getText()), p.position);
  // A broken contract at the spot is explained first, above the finding that broke it.
  const contract = doc.uri.startsWith('file:') ? contractHover(engine.contractsFor(doc.uri), fileURLToPath(doc.uri), p.position) : undefined;
  if (!contract) return hover;
  const rest = hover && typeof hover.contents === 'object' && 'value' in hover.contents ? `\n\n---\n\n${hover.contents.value}` : '';
  return { contents: { kind: 'markdown', value: contract + rest }, ...(hover?.range ? { range: hover.range } : {}) };
});

connection.onCodeAction((p) => {
  const doc = documents.get(p.textDocument.uri);
  if (!doc || !engine) return [];
  const text = doc.getText();
  const contract = doc.uri.startsWith('file:') ? contractActions(engine.contractsFor(doc.uri), fileURLToPath(doc.uri), p.range, p.context.diagnostics) : [];
  return [...codeActions(engine.findingsFor(doc.uri, text), doc, p.range, engine.sourceFor(doc.uri, text),
    engine.fixesFor(doc.uri, text), p.context.diagnostics), ...contract];
});

connection.onExecuteCommand(async (p) => {
  if (p.command === REANALYZE_COMMAND) {
    const uri = (p.arguments?.[0] as string | undefined) ?? documents.all()[0]?.uri;
    if (uri) await engine?.reanalyze(uri);
  }
});

documents.listen(connection);
connection.listen();
