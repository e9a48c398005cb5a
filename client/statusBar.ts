// The status bar item: analysing… / N heap escapes in this file / build failed / off. Click: the Escapes
// view (the log when the build failed). Its count is the Problems panel's for the file; the tooltip says
// what the Escapes view holds besides, for the file and the package.
import * as vscode from 'vscode';
import type { StatusParams } from '../server/protocol';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('goEscapeLens.status', vscode.StatusBarAlignment.Left, 0);
  private readonly byUri = new Map<string, StatusParams>();

  constructor() {
    this.item.name = 'Go Escape Lens';
    this.item.command = 'goEscapeLens.showEscapesView';
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
    const stale = p.stale ? ' (last good build)' : '';
    switch (p.state) {
      case 'analysing':
        this.item.text = p.downloading?.startsWith('Go toolchain') ? '$(cloud-download) Escapes: downloading Go toolchain…'
          : p.downloading ? '$(cloud-download) Escapes: downloading modules…' : '$(sync~spin) Escapes: analysing…';
        break;
      case 'failed': this.item.text = p.stale ? `$(warning) Escapes: build failed · ${heap} in this file${stale}` : '$(error) Escapes: build failed'; break;
      case 'off': this.item.text = '$(circle-slash) Escapes: off'; break;
      case 'excluded': this.item.text = '$(circle-slash) Escapes: not analysed'; break;
      default:
        this.item.text = `$(flame) ${plural(heap, 'heap escape')} in this file${suppressed ? ` (+${suppressed} suppressed)` : ''}`;
    }
    this.item.command = p.state === 'failed' ? 'goEscapeLens.showLog' : 'goEscapeLens.showEscapesView';
    const hints = p.hints?.[uri] ?? 0;
    const all = p.findings?.[uri];
    // The two counts a user sees side by side, each said for what it is.
    const pkg = p.packageFindings === undefined ? ''
      : `\nPackage (${p.wholePackage ? 'all files' : 'open files'}): ${plural(p.packageSquiggles ?? 0, 'squiggle')}, ${plural(p.packageFindings, 'finding')}.`;
    const detail = `${plural(heap, 'heap escape')} in this file: the allocations worth acting on, drawn as squiggles (the Problems panel's count).` +
      `\nAlso ${plural(hints, 'hint')} (cold code, dots) and ${suppressed} suppressed.` +
      `${all !== undefined ? `\nThe Escapes view lists all ${plural(all, 'finding')} of this file: these, grouped call operands, parameter summaries and what does not allocate.` : ''}` +
      `${pkg}\nClick for the Escapes view.`;
    this.item.tooltip = p.message ? `${p.message}${p.stale ? '\nShowing the findings of the last successful build.' : ''}\n\n${detail}` : `Go Escape Lens\n${detail}`;
    if (p.downloading && p.state === 'analysing') {
      this.item.tooltip = `The go command is downloading ${p.downloading} before it can build (go.mod asks for it); analysis follows.`;
    }
    this.item.show();
  }

  dispose(): void { this.item.dispose(); }
}

/** `1 squiggle`, `2 squiggles`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
