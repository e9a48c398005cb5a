/// <reference lib="dom" />
// Runs inside the webview (browser, no Node): lays out the graph with @dagrejs/dagre (compound graph: one
// cluster per package) and draws it as SVG with the editor's theme colours. Clicking a node (or Enter on
// it) asks the extension to open its location.
import dagre from '@dagrejs/dagre';
import type { FlowGraph, GraphNode } from '../../core/deep/graph';

declare function acquireVsCodeApi(): { postMessage(m: unknown): void };

const vscode = acquireVsCodeApi();
const SVG = 'http://www.w3.org/2000/svg';
const CHAR = 7.2;
const LINE = 16;

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>, parent?: Element): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  parent?.appendChild(e);
  return e;
}

function basename(f: string): string {
  return f.slice(Math.max(f.lastIndexOf('/'), f.lastIndexOf('\\')) + 1);
}

function clip(s: string, n = 60): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

function nodeLines(n: GraphNode): { text: string; cls: string }[] {
  const lines = [{ text: clip(n.label), cls: 'label' }];
  if (n.detail && n.detail !== n.label) lines.push({ text: clip(n.detail, 70), cls: 'detail' });
  if (n.file) lines.push({ text: `${basename(n.file)}:${n.line}${n.function ? ` · ${clip(n.function, 30)}` : ''}`, cls: 'where' });
  return lines;
}

function draw(g: FlowGraph): void {
  document.getElementById('title')!.textContent = g.title;
  const layout = new dagre.graphlib.Graph({ compound: true });
  layout.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 36, marginx: 16, marginy: 16 });
  layout.setDefaultEdgeLabel(() => ({}));
  g.packages.forEach((p, i) => layout.setNode(`cluster${i}`, { label: p }));
  for (const n of g.nodes) {
    const lines = nodeLines(n);
    const width = Math.max(...lines.map((l) => l.text.length)) * CHAR + 24;
    layout.setNode(n.id, { width, height: lines.length * LINE + 14 });
    layout.setParent(n.id, `cluster${g.packages.indexOf(n.pkg)}`);
  }
  for (const e of g.edges) layout.setEdge(e.from, e.to, { label: e.label, width: e.label.length * CHAR * 0.9, height: LINE, labelpos: 'c' });
  dagre.layout(layout);

  const size = layout.graph();
  const svg = el('svg', { width: (size.width ?? 400) + 20, height: (size.height ?? 300) + 40, role: 'img', 'aria-label': g.title });
  const defs = el('defs', {}, svg);
  const marker = el('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, defs);
  el('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow' }, marker);
  const root = el('g', { transform: 'translate(10, 24)' }, svg);

  g.packages.forEach((p, i) => {
    const c = layout.node(`cluster${i}`);
    if (!c) return;
    const group = el('g', { class: 'cluster', 'data-pkg': p }, root);
    el('rect', { x: c.x - c.width / 2, y: c.y - c.height / 2 - 18, width: c.width, height: c.height + 18, rx: 6 }, group);
    el('text', { x: c.x - c.width / 2 + 8, y: c.y - c.height / 2 - 4 }, group).textContent = p;
  });
  for (const e of g.edges) {
    const info = layout.edge(e.from, e.to);
    if (!info) continue;
    const group = el('g', { class: `edge${e.possible ? ' possible' : ''}` }, root);
    const pts: { x: number; y: number }[] = info.points ?? [];
    el('path', { d: pts.map((p, i) => `${i ? 'L' : 'M'} ${p.x} ${p.y}`).join(' '), 'marker-end': 'url(#arrow)' }, group);
    if (info.x !== undefined) el('text', { x: info.x, y: (info.y ?? 0) + 4, 'text-anchor': 'middle' }, group).textContent = e.label;
  }
  for (const n of g.nodes) {
    const box = layout.node(n.id);
    const group = el('g', { class: `node kind-${n.kind}`, 'data-id': n.id, tabindex: 0, role: 'button',
      'aria-label': `${n.label}${n.file ? ` at ${basename(n.file)}:${n.line}` : ''}` }, root);
    const x = box.x - box.width / 2;
    const y = box.y - box.height / 2;
    if (n.kind === 'allocation') el('ellipse', { cx: box.x, cy: box.y, rx: box.width / 2 + 6, ry: box.height / 2 + 2 }, group);
    else el('rect', { x, y, width: box.width, height: box.height, rx: n.kind === 'param' ? 0 : 4 }, group);
    nodeLines(n).forEach((l, i) => {
      el('text', { x: box.x, y: y + 18 + i * LINE, 'text-anchor': 'middle', class: l.cls }, group).textContent = l.text;
    });
    const open = (): void => { if (n.file) vscode.postMessage({ type: 'open', file: n.file, line: n.line, column: n.column }); };
    group.addEventListener('click', open);
    group.addEventListener('keydown', (ev) => { if ((ev as KeyboardEvent).key === 'Enter') open(); });
  }
  document.getElementById('graph')!.appendChild(svg);
}

draw(JSON.parse(document.getElementById('graph-data')!.textContent!) as FlowGraph);
