// The status bar item: analysing… / N heap escapes in this file / build failed / off. Click: the log.
import * as vscode from 'vscode';
import type { StatusParams } from '../server/protocol';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('goEscapeLens.status', vscode.StatusBarAlignment.Left, 0);
  private readonly byUri = new Map<string, StatusParams>();

  constructor() {
    this.item.name = 'Go Escape Lens';
    this.item.command = 'goEscapeLens.showLog';
  }

  update(p: StatusParams): void {
    for (const uri of p.uris) this.byUri.set(uri, p);
    this.showFor(vscode.window.activeTextEditor?.document.uri.toString());
  }

  off(reason: string): void {
    this.item.text = '$(circle-slash) Escapes: off';
    this.item.tooltip = reason;
    this.item.show();
  }

  showFor(uri: string | undefined): void {
    const p = uri ? this.byUri.get(uri) : undefined;
    if (!p || !uri) { this.item.hide(); return; }
    const heap = p.heap[uri] ?? 0;
    const suppressed = p.suppressed[uri] ?? 0;
    switch (p.state) {
      case 'analysing':
        this.item.text = p.downloading?.startsWith('Go toolchain') ? '$(cloud-download) Escapes: downloading Go toolchain…'
          : p.downloading ? '$(cloud-download) Escapes: downloading modules…' : '$(sync~spin) Escapes: analysing…';
        break;
      case 'failed': this.item.text = '$(error) Escapes: build failed'; break;
      case 'off': this.item.text = '$(circle-slash) Escapes: off'; break;
      case 'excluded': this.item.text = '$(circle-slash) Escapes: not analysed'; break;
      default:
        this.item.text = `$(flame) ${heap} heap escape${heap === 1 ? '' : 's'}${suppressed ? ` (+${suppressed} suppressed)` : ''}`;
    }
    this.item.tooltip = p.downloading && p.state === 'analysing'
      ? `The go command is downloading ${p.downloading} before it can build (go.mod asks for it); analysis follows.`
      : p.message ?? `Go Escape Lens: ${heap} heap escapes and leaks in this file, ${suppressed} suppressed. Click for the log.`;
    this.item.show();
  }

  dispose(): void { this.item.dispose(); }
}
