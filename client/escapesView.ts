// The Escapes view: every finding of the analysed packages as a tree, grouped by location, cause or tier,
// filtered by tier, cause and allocating/all. The server builds the tree (core/present/escapesTree);
// this file only renders it and keeps the user's grouping and filters.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { EscapesFilter, EscapesNode, GroupBy } from '../core/present/escapesTree';
import { plural } from './statusBar';
import { ESCAPES_CHANGED, ESCAPES_REQUEST, type EscapesParams, type EscapesResult } from '../server/protocol';

export const VIEW_ID = 'goEscapeLens.escapes';
const GROUPS: GroupBy[] = ['location', 'cause', 'tier'];
const GROUP_WORDS: Record<GroupBy, string> = { location: 'by file', cause: 'by cause', tier: 'by tier' };

export class EscapesView implements vscode.TreeDataProvider<EscapesNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<EscapesNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<EscapesNode>;
  private groupBy: GroupBy;
  private filter: EscapesFilter;
  private last: EscapesResult | undefined;
  private client: LanguageClient | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly state: vscode.Memento) {
    this.groupBy = state.get<GroupBy>('escapes.groupBy', 'location');
    this.filter = state.get<EscapesFilter>('escapes.filter', { show: 'all' });
    this.view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.view,
      this.view.onDidChangeVisibility((e) => { if (e.visible) this.refresh(); }),
      vscode.commands.registerCommand('goEscapeLens.escapes.groupBy', () => this.pickGrouping()),
      vscode.commands.registerCommand('goEscapeLens.escapes.filter', () => this.pickFilter()),
      vscode.commands.registerCommand('goEscapeLens.escapes.refresh', () => this.refresh()),
    );
    this.describe();
  }

  /** The language client to ask (a new one after a restart). */
  attach(client: LanguageClient): void {
    this.client = client;
    this.disposables.push(client.onNotification(ESCAPES_CHANGED, () => { if (this.view.visible) this.refresh(); }));
    if (this.view.visible) this.refresh();
  }

  refresh(): void {
    this.last = undefined;
    this.changed.fire(undefined);
  }

  async getChildren(node?: EscapesNode): Promise<EscapesNode[]> {
    if (node) return node.children ?? [];
    if (!this.client) return [];
    const params: EscapesParams = { groupBy: this.groupBy, filter: this.filter };
    this.last = (await this.client.sendRequest<EscapesResult | null>(ESCAPES_REQUEST, params)) ?? undefined;
    this.describe();
    return this.last?.roots ?? [];
  }

  getTreeItem(n: EscapesNode): vscode.TreeItem {
    const collapsible = !n.children?.length ? vscode.TreeItemCollapsibleState.None
      : n.kind === 'package' || n.kind === 'file' || n.kind === 'tier' ? vscode.TreeItemCollapsibleState.Expanded
        : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(n.label, collapsible);
    item.id = `${this.groupBy}:${n.id}`;
    item.description = n.kind === 'item' || n.kind === 'finding' ? n.description : `${n.description ?? n.count}`;
    item.tooltip = n.tooltip ?? (n.kind === 'file' || n.kind === 'package'
      // Beside the status bar's count of squiggles, this count needs saying what it holds.
      ? `${plural(n.count ?? 0, 'finding')}: every escape the compiler reported here — the squiggles the status bar counts, hints (cold code), ` +
        'grouped call operands, parameter summaries and what does not allocate.'
      : n.description);
    item.contextValue = n.kind;
    item.iconPath = new vscode.ThemeIcon(n.fix ? 'lightbulb' : ICONS[n.kind] ?? 'circle-outline', n.display === 'squiggle' ? new vscode.ThemeColor('problemsInfoIcon.foreground') : undefined);
    // A finding with a proven quick fix says so (the light bulb at its line applies it).
    if (n.fix) item.tooltip = `${item.tooltip ?? ''}\nQuick fix: ${n.fix}`;
    if (n.location) {
      const r = n.location.range;
      item.command = {
        command: 'vscode.open', title: 'Open',
        arguments: [vscode.Uri.file(n.location.file), { selection: new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character) }],
      };
    }
    return item;
  }

  private describe(): void {
    const parts = [GROUP_WORDS[this.groupBy]];
    if (this.filter.show === 'allocating') parts.push('allocating');
    if (this.filter.tiers) parts.push(this.filter.tiers.join('+'));
    if (this.filter.causes) parts.push(this.filter.causes.length === 1 ? this.filter.causes[0] : `${this.filter.causes.length} causes`);
    this.view.description = parts.join(' · ');
    // The message line is visible in every layout (a view alone in its container shows no description).
    if (!this.last) this.view.message = undefined;
    else if (this.last.total === 0) this.view.message = 'No findings yet: open a Go file and save it.';
    else this.view.message = `${this.last.shown}/${this.last.total} findings · ${parts.join(' · ')}`;
  }

  private async pickGrouping(): Promise<void> {
    const pick = await vscode.window.showQuickPick(GROUPS.map((g) => ({ label: GROUP_WORDS[g], picked: g === this.groupBy, g })), { title: 'Group escapes' });
    if (!pick) return;
    this.groupBy = pick.g;
    await this.state.update('escapes.groupBy', this.groupBy);
    this.refresh();
  }

  private async pickFilter(): Promise<void> {
    type P = vscode.QuickPickItem & { key: string };
    const tiers = ['L1', 'L2', 'L3', 'none'] as const;
    const causes = this.last?.causes ?? [];
    const items: P[] = [
      { label: 'Only allocating', description: 'hide parameter summaries, notes and values that do not allocate', key: 'allocating', picked: this.filter.show === 'allocating' },
      { label: 'Tiers', kind: vscode.QuickPickItemKind.Separator, key: '' },
      ...tiers.map((t) => ({ label: t === 'none' ? 'no tier' : t, key: `tier:${t}`, picked: !this.filter.tiers || this.filter.tiers.includes(t) })),
      { label: 'Causes', kind: vscode.QuickPickItemKind.Separator, key: '' },
      ...causes.map((c) => ({ label: c, key: `cause:${c}`, picked: !this.filter.causes || this.filter.causes.includes(c) })),
    ];
    const picked = await vscode.window.showQuickPick(items, { canPickMany: true, title: 'Filter escapes' });
    if (!picked) return;
    const keys = new Set(picked.map((p) => p.key));
    const t = tiers.filter((x) => keys.has(`tier:${x}`));
    const c = causes.filter((x) => keys.has(`cause:${x}`));
    this.filter = {
      show: keys.has('allocating') ? 'allocating' : 'all',
      ...(t.length < tiers.length ? { tiers: [...t] } : {}),
      ...(c.length < causes.length ? { causes: c } : {}),
    };
    await this.state.update('escapes.filter', this.filter);
    this.refresh();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.changed.dispose();
  }
}

const ICONS: Partial<Record<EscapesNode['kind'], string>> = {
  package: 'package', file: 'file-code', function: 'symbol-method', cause: 'tag', tier: 'layers', item: 'flame', finding: 'circle-small-filled',
};
