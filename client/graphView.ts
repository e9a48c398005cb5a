// The flow-graph webview: asks the server for one finding's graph and draws it with the bundled layout
// script (dist/graphView.js, @dagrejs/dagre inside; nothing from the network). A strict Content-Security-
// Policy with a nonce; clicking a node opens its location (read-only module-cache and GOROOT files too).
import * as crypto from 'node:crypto';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { FlowGraph } from '../core/deep/graph';
import { GRAPH_REQUEST } from '../server/protocol';

export interface GraphMessage { type: 'open'; file: string; line: number; column?: number }

let panel: vscode.WebviewPanel | undefined;

export async function showGraph(context: vscode.ExtensionContext, client: LanguageClient, uri: string,
  position: { line: number; character: number }): Promise<vscode.WebviewPanel | undefined> {
  const dist = vscode.Uri.joinPath(context.extensionUri, 'dist');
  if (!panel) {
    panel = vscode.window.createWebviewPanel('goEscapeLens.graph', 'Escape path', vscode.ViewColumn.Beside,
      { enableScripts: true, localResourceRoots: [dist], retainContextWhenHidden: true });
    panel.onDidDispose(() => { panel = undefined; });
    panel.webview.onDidReceiveMessage(async (m: GraphMessage) => {
      if (m.type !== 'open' || !m.file) return;
      const pos = new vscode.Position(Math.max(0, m.line - 1), Math.max(0, (m.column ?? 1) - 1));
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(m.file));
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(pos, pos) });
    });
  }
  // The pane opens at once with a progress bar: following a path into other packages compiles them the first time.
  const shown = panel;
  shown.title = 'Escape path: following…';
  shown.webview.html = loading(shown.webview);
  shown.reveal(vscode.ViewColumn.Beside);
  const graph = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Go Escape Lens: following the path' },
    () => client.sendRequest<FlowGraph | null>(GRAPH_REQUEST, { uri, position }),
  ).then((g) => g, () => null);
  if (panel !== shown) return undefined; // closed meanwhile
  if (!graph) {
    shown.dispose();
    void vscode.window.showInformationMessage('Go Escape Lens: no heap finding at this position.');
    return undefined;
  }
  shown.title = `Escape path: ${graph.title}`;
  shown.webview.html = html(shown.webview, vscode.Uri.joinPath(dist, 'graphView.js'), graph);
  return shown;
}

function loading(webview: vscode.Webview): string {
  const nonce = crypto.randomBytes(16).toString('base64');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}'; img-src ${webview.cspSource};">
<style nonce="${nonce}">
  body { color: var(--vscode-editor-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-font-family); padding: 16px; }
  .bar { position: relative; height: 2px; overflow: hidden; background: var(--vscode-editorWidget-border, transparent); margin-top: 12px; }
  .bar::before { content: ''; position: absolute; width: 30%; height: 100%; background: var(--vscode-progressBar-background, #0e70c0); animation: slide 1.2s linear infinite; }
  @keyframes slide { from { left: -30%; } to { left: 100%; } }
</style></head>
<body><div class="loading" role="progressbar" aria-busy="true">Following the escape path across packages… (their packages are compiled once, then cached)</div><div class="bar"></div></body></html>`;
}

function html(webview: vscode.Webview, script: vscode.Uri, graph: FlowGraph): string {
  const nonce = crypto.randomBytes(16).toString('base64');
  // JSON in a non-executed script element; `<` escaped so no text in the graph can close it.
  const data = JSON.stringify(graph).replace(/</g, '\\u003c');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; img-src ${webview.cspSource} data:;">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style nonce="${nonce}">
  body { color: var(--vscode-editor-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); margin: 0; padding: 8px; }
  h1 { font-size: 1.1em; font-weight: 600; margin: 4px 0 8px; }
  .legend { opacity: .8; margin-bottom: 8px; }
  svg text { fill: var(--vscode-editor-foreground); font-family: var(--vscode-editor-font-family); }
  .cluster rect { fill: var(--vscode-sideBar-background, transparent); stroke: var(--vscode-panel-border, var(--vscode-editorWidget-border)); stroke-dasharray: 4 3; }
  .cluster text { font-weight: 600; fill: var(--vscode-descriptionForeground); }
  .node rect, .node ellipse { fill: var(--vscode-editorWidget-background); stroke: var(--vscode-editorWidget-border, var(--vscode-foreground)); stroke-width: 1px; }
  .node { cursor: pointer; }
  .node:hover rect, .node:hover ellipse, .node:focus rect, .node:focus ellipse { stroke: var(--vscode-focusBorder); stroke-width: 2px; }
  .node:focus { outline: none; }
  .kind-allocation ellipse { stroke: var(--vscode-charts-orange, orange); stroke-width: 3px; }
  .kind-sink rect { stroke: var(--vscode-charts-red, red); stroke-width: 3px; }
  .kind-param rect { stroke: var(--vscode-charts-blue, steelblue); }
  .kind-possible rect { stroke-dasharray: 5 3; }
  .kind-stop rect { stroke: var(--vscode-charts-yellow, gold); }
  .detail, .where { opacity: .75; font-size: .9em; }
  .edge path { fill: none; stroke: var(--vscode-editorLineNumber-foreground, gray); stroke-width: 1.2px; }
  .edge.possible path { stroke-dasharray: 5 4; }
  .edge text, .edge-label { font-size: .85em; fill: var(--vscode-descriptionForeground); }
  #graph { overflow: auto; max-width: 100%; }
  .arrow { fill: var(--vscode-editorLineNumber-foreground, gray); }
</style></head>
<body>
<h1 id="title"></h1>
<div class="legend">Click a node to open its location. Thick orange: the allocation · thick red: the sink · blue: a callee's parameter · dashed: possible.</div>
<div id="graph"></div>
<script type="application/json" id="graph-data">${data}</script>
<script nonce="${nonce}" src="${webview.asWebviewUri(script).toString()}"></script>
</body></html>`;
}
