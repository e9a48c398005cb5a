// The VS Code client: starts the server, renders its status, offers the commands. No analysis here.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, RevealOutputChannelOn, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { MEASURE_COMMAND, OPEN_SETTING_COMMAND } from '../server/protocol';
import { REANALYZE_COMMAND, SHOW_GRAPH_COMMAND, SHOW_PATH_COMMAND, STATUS_NOTIFICATION, type InitOptions, type StatusParams } from '../server/protocol';
import { showGraph } from './graphView';
import { StatusBar } from './statusBar';
import { toggleNonEscaping } from './toggleNonEscaping';
import { WATCHED_SECTIONS, withGoExtensionCommand } from './goExtensionSettings';
import { EscapesView, VIEW_ID } from './escapesView';
import { SHOW_ESCAPES_COMMAND } from '../server/protocol';
import { SERVER_ENV, SERVER_EXEC_ARGV } from '../server/launch';
import { progressAsNotifications } from './progressNotification';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel('Go Escape Lens', 'go-escape-log');
  const status = new StatusBar();
  const escapes = new EscapesView(context.workspaceState);
  context.subscriptions.push(log, status, escapes);

  const start = async (): Promise<void> => {
    if (!vscode.workspace.isTrusted) {
      status.off('Untrusted workspace: Go Escape Lens runs nothing until you trust it.');
      return;
    }
    const module = context.asAbsolutePath(path.join('dist', 'server.js'));
    // The same node flags and environment the benchmark starts the server with (server/launch.ts).
    const env = { ...process.env, ...SERVER_ENV };
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV], env } },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV, '--nolazy', '--inspect=6011'], env } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [{ scheme: 'file', language: 'go' }],
      outputChannel: log,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      initializationOptions: { trusted: true } satisfies InitOptions,
      // A policy saved (or created, deleted) re-analyses the open packages it governs.
      synchronize: { configurationSection: WATCHED_SECTIONS, fileEvents: vscode.workspace.createFileSystemWatcher('**/.escapelens.json') },
      middleware: {
        // The hover's "Show the path as a graph" link is a command link: trusted for that command only.
        provideHover: async (document, position, token, next) => {
          const hover = await next(document, position, token);
          for (const c of hover?.contents ?? []) if (c instanceof vscode.MarkdownString) c.isTrusted = { enabledCommands: [SHOW_GRAPH_COMMAND] };
          return hover;
        },
        workspace: {
          // The Go extension's go.goroot / go.alternateTools.go when goEscapeLens.goCommand is unset.
          configuration: async (params, token, next) => {
            const result = await next(params, token);
            return Array.isArray(result) ? withGoExtensionCommand(params, result) : result;
          },
        },
      },
    };
    client = new LanguageClient('goEscapeLens', 'Go Escape Lens', serverOptions, clientOptions);
    client.onNotification(STATUS_NOTIFICATION, (p: StatusParams) => status.update(p));
    await client.start();
    progress = progressAsNotifications(client);
    escapes.attach(client);
  };
  let progress: vscode.Disposable | undefined;
  context.subscriptions.push({ dispose: () => progress?.dispose() });

  /** The Go file the package commands act on: the active editor's, else a visible or the last active Go editor's. */
  let lastGo: vscode.Uri | undefined;
  const isGo = (d: vscode.TextDocument | undefined): d is vscode.TextDocument => d?.languageId === 'go' && d.uri.scheme === 'file';
  if (isGo(vscode.window.activeTextEditor?.document)) lastGo = vscode.window.activeTextEditor.document.uri;
  const goFile = (what: string): vscode.Uri | undefined => {
    const active = vscode.window.activeTextEditor?.document;
    const uri = isGo(active) ? active.uri : vscode.window.visibleTextEditors.map((e) => e.document).find(isGo)?.uri ?? lastGo;
    if (!uri) {
      // From the walkthrough or the command palette with no Go file open: say what to do instead of nothing.
      void vscode.window.showInformationMessage(`Go Escape Lens ${what} the package of a Go file: open one first.`, 'Open File…')
        .then((pick) => { if (pick) void vscode.commands.executeCommand('workbench.action.quickOpen'); });
    }
    return uri;
  };
  const serverCommand = async (command: string, uri: vscode.Uri, message: string): Promise<void> => {
    if (!client) {
      void vscode.window.showWarningMessage('Go Escape Lens: the server is not running (an untrusted workspace runs nothing).');
      return;
    }
    const done = client.sendRequest('workspace/executeCommand', { command, arguments: [uri.toString()] });
    vscode.window.setStatusBarMessage(`$(sync~spin) Go Escape Lens: ${message} ${vscode.workspace.asRelativePath(vscode.Uri.joinPath(uri, '..'))}…`, done);
    await done;
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('goEscapeLens.reanalyzePackage', async () => {
      const uri = goFile('re-analyses');
      if (uri) await serverCommand(REANALYZE_COMMAND, uri, 're-analysing');
    }),
    vscode.commands.registerCommand('goEscapeLens.restartServer', async () => {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Go Escape Lens: restarting the server…' }, async () => {
        if (client) {
          await client.restart();
          progress?.dispose();
          progress = progressAsNotifications(client);
        } else {
          await start();
        }
      });
      void vscode.window.showInformationMessage(client?.isRunning()
        ? 'Go Escape Lens: server restarted; the open Go files are analysed again.'
        : 'Go Escape Lens: the server did not start; see the log (Go Escape Lens: Show Log).');
    }),
    vscode.commands.registerCommand('goEscapeLens.showLog', () => log.show(true)),
    vscode.commands.registerCommand(SHOW_ESCAPES_COMMAND, () => vscode.commands.executeCommand(`${VIEW_ID}.focus`)),
    // Benchmarks run only when asked: this command, or a lens above a benchmark.
    vscode.commands.registerCommand('goEscapeLens.measurePackage', async () => {
      const uri = goFile('measures the benchmarks of');
      if (uri) await serverCommand(MEASURE_COMMAND, uri, 'measuring the benchmarks of');
    }),
    vscode.commands.registerCommand(OPEN_SETTING_COMMAND, (id: string) => vscode.commands.executeCommand('workbench.action.openSettings', id)),
    vscode.commands.registerCommand('goEscapeLens.toggleNonEscaping', () => toggleNonEscaping()),
    vscode.commands.registerCommand(SHOW_PATH_COMMAND, async (uri?: string, pos?: { line: number; character: number },
      steps?: { uri: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }[]) => {
      // From the command palette: the path of the finding at the cursor, as its lightbulb action has it.
      if (!uri || !pos || !steps) return showPathAtCursor();
      const locations = steps.map((s) => new vscode.Location(vscode.Uri.parse(s.uri),
        new vscode.Range(s.range.start.line, s.range.start.character, s.range.end.line, s.range.end.character)));
      await vscode.commands.executeCommand('editor.action.peekLocations', vscode.Uri.parse(uri), new vscode.Position(pos.line, pos.character), locations, 'peek');
    }),
    vscode.commands.registerCommand(SHOW_GRAPH_COMMAND, async (uri?: string, pos?: { line: number; character: number }) => {
      const editor = vscode.window.activeTextEditor;
      const target = uri ?? editor?.document.uri.toString();
      const at = pos ?? (editor ? { line: editor.selection.active.line, character: editor.selection.active.character } : undefined);
      if (client && target && at) return showGraph(context, client, target, at);
      return undefined;
    }),
    vscode.window.onDidChangeActiveTextEditor((e) => {
      if (isGo(e?.document)) lastGo = e.document.uri;
      status.showFor(e?.document.uri.toString());
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void start()),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}

/** "Show Escape Path" from the command palette: runs the lightbulb's action for the finding at the cursor. */
async function showPathAtCursor(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const none = 'Go Escape Lens: no escape path at the cursor. Put the cursor on a squiggle in a Go file.';
  if (editor?.document.languageId !== 'go') { void vscode.window.showInformationMessage(none); return; }
  // Every kind: the path action has none (it is neither a fix nor a refactoring).
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, editor.selection);
  const show = actions?.find((a) => a.command?.command === SHOW_PATH_COMMAND && (a.command.arguments?.length ?? 0) >= 3);
  if (!show?.command) { void vscode.window.showInformationMessage(none); return; }
  await vscode.commands.executeCommand(show.command.command, ...(show.command.arguments ?? []));
}
