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
      synchronize: { configurationSection: WATCHED_SECTIONS },
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
    escapes.attach(client);
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('goEscapeLens.reanalyzePackage', async () => {
      const uri = vscode.window.activeTextEditor?.document.uri.toString();
      if (client && uri) await client.sendRequest('workspace/executeCommand', { command: REANALYZE_COMMAND, arguments: [uri] });
    }),
    vscode.commands.registerCommand('goEscapeLens.restartServer', async () => {
      if (client) await client.restart(); else await start();
    }),
    vscode.commands.registerCommand('goEscapeLens.showLog', () => log.show(true)),
    vscode.commands.registerCommand(SHOW_ESCAPES_COMMAND, () => vscode.commands.executeCommand(`${VIEW_ID}.focus`)),
    // Benchmarks run only when asked: this command, or a lens above a benchmark.
    vscode.commands.registerCommand('goEscapeLens.measurePackage', async () => {
      const uri = vscode.window.activeTextEditor?.document.uri.toString();
      if (client && uri) await client.sendRequest('workspace/executeCommand', { command: MEASURE_COMMAND, arguments: [uri] });
    }),
    vscode.commands.registerCommand(OPEN_SETTING_COMMAND, (id: string) => vscode.commands.executeCommand('workbench.action.openSettings', id)),
    vscode.commands.registerCommand('goEscapeLens.toggleNonEscaping', () => toggleNonEscaping()),
    vscode.commands.registerCommand(SHOW_PATH_COMMAND, async (uri: string, pos: { line: number; character: number },
      steps: { uri: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }[]) => {
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
    vscode.window.onDidChangeActiveTextEditor((e) => status.showFor(e?.document.uri.toString())),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void start()),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
