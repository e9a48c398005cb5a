// Hands the Go extension's go command to the server through the normal settings path: when the server
// asks for the `goEscapeLens` section and the user has not set goEscapeLens.goCommand for that scope, the
// answer's goCommand comes from `go.alternateTools.go` / `go.goroot` (see goCommandFromGoExtension).
import * as os from 'node:os';
import * as vscode from 'vscode';
import type { ConfigurationParams } from 'vscode-languageclient';
import { uriToPath } from '../core/platform';
import { goCommandFromGoExtension } from './goCommandFromGoExtension';

/** Settings sections whose changes make the server re-read its configuration. */
export const WATCHED_SECTIONS = ['goEscapeLens', 'go.goroot', 'go.alternateTools'];

function userSetGoCommand(scope: vscode.Uri | undefined): boolean {
  const i = vscode.workspace.getConfiguration('goEscapeLens', scope).inspect<string>('goCommand');
  return [i?.globalValue, i?.workspaceValue, i?.workspaceFolderValue,
    i?.globalLanguageValue, i?.workspaceLanguageValue, i?.workspaceFolderLanguageValue].some((v) => v !== undefined);
}

/** The workspace/configuration answer, with goCommand filled in from the Go extension where ours is unset. */
export function withGoExtensionCommand(params: ConfigurationParams, result: unknown[]): unknown[] {
  return result.map((value, i) => {
    const item = params.items[i];
    if (item?.section !== 'goEscapeLens' || !value || typeof value !== 'object') return value;
    const scope = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
    if (userSetGoCommand(scope)) return value;
    const go = vscode.workspace.getConfiguration('go', scope);
    const folder = scope ? vscode.workspace.getWorkspaceFolder(scope) : vscode.workspace.workspaceFolders?.[0];
    const command = goCommandFromGoExtension(
      { alternateTools: go.get('alternateTools'), goroot: go.get('goroot') },
      { home: os.homedir(), workspaceFolder: folder ? uriToPath(folder.uri.toString()) : undefined, env: process.env },
    );
    return command ? { ...value, goCommand: command } : value;
  });
}
