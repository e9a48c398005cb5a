// Runs inside VS Code's extension host: mocha over the installed extension, against the real compiler.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

async function until<T>(what: string, fn: () => T | undefined | false, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function tests(): void {
  describe('Go Escape Lens in VS Code', () => {
    it('squiggles the escapes of a fixture on save and explains them on hover', async () => {
      const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
      const doc = await vscode.workspace.openTextDocument(path.join(folder, 'returned', 'returned.go'));
      await vscode.window.showTextDocument(doc);
      await doc.save();
      const diags = await until('diagnostics', () => {
        const d = vscode.languages.getDiagnostics(doc.uri).filter((x) => x.source === 'Go Escape Lens');
        return d.length >= 4 ? d : undefined;
      });
      const order = diags.find((d) => d.message.startsWith('&Order{...} escapes to heap'))!;
      assert.equal(doc.getText(order.range), '&Order{ID: id}');
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, order.range.start.translate(0, 2));
      const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value))).join('\n');
      // The diagnostic says what (cause, tier); the hover goes on with why, the path and what helps.
      assert.match(order.message, /allocation is returned/);
      assert.match(text, /This allocation is returned to the caller/);
      assert.match(text, /\*\*Path\*\*/);
    });
  });
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 120_000, color: true });
  mocha.suite.emit('pre-require', globalThis, 'electron-suite', mocha);
  tests();
  return new Promise((resolve, reject) => mocha.run((failures) => (failures ? reject(new Error(`${failures} failed`)) : resolve())));
}
