// "Toggle Non-Escaping Hints": flips goEscapeLens.showNonEscaping in the *user* settings. Nothing the
// extension does on its own writes into the user's tree: a workspace toggle would create
// .vscode/settings.json, which shows up in git. A value set in the workspace or folder settings wins over
// the user's, so then the command says where to change it instead of toggling a value that has no effect.
import * as vscode from 'vscode';

export async function toggleNonEscaping(): Promise<void> {
  const config = vscode.workspace.getConfiguration('goEscapeLens', vscode.window.activeTextEditor?.document.uri);
  const where = config.inspect<boolean>('showNonEscaping');
  if (where?.workspaceFolderValue !== undefined || where?.workspaceValue !== undefined) {
    const scope = where.workspaceFolderValue !== undefined ? 'folder' : 'workspace';
    void vscode.window.showInformationMessage(
      `goEscapeLens.showNonEscaping is set in the ${scope} settings, which override user settings: change it there.`);
    return;
  }
  const next = !(where?.globalValue ?? where?.defaultValue ?? false);
  await config.update('showNonEscaping', next, vscode.ConfigurationTarget.Global);
  void vscode.window.showInformationMessage(`Non-escaping hints ${next ? 'on' : 'off'} (in your user settings).`);
}
