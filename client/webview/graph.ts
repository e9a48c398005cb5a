/// <reference lib="dom" />
// Runs inside the webview (browser, no Node): lays out the graph with @dagrejs/dagre (compound graph: one
// cluster per package) and draws it as SVG with the editor's theme colours. Clicking a node (or Enter on
// it) asks the extension to open its location.
import dagre from '@dagrejs/dagre';
import type { FlowGraph, GraphNode } from '../../core/deep/graph';

declare function acquireVsCodeApi(): { postMessage(m: unknown): void };

const vscode = acquireVsCodeApi();
const SVG = 'http://www.w3.org/2000/svg';
/** Line height and a node's padding, in multiples of the editor font's size (the theme decides it). */
const LINE_EM = 1.4;
const PAD_EM = 1.2;
/** The smallest scale fit-to-width uses: below it text is unreadable, and the pane scrolls to the allocation instead. */
const MIN_SCALE = 0.55;

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>, parent?: Element): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  parent?.appendChild(e);
  return e;
}

function basename(f: string): string {
  return f.slice(Math.max(f.lastIndexOf('/'), f.lastIndexOf('\\')) + 1);
}

function clip(s: string, n = 48): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

function nodeLines(n: GraphNode): { text: string; cls: string }[] {
  const lines = [{ text: clip(n.label), cls: 'label' }];
  if (n.detail && n.detail !== n.label) lines.push({ text: clip(n.detail, 56), cls: 'detail' });
  if (n.file) lines.push({ text: `${basename(n.file)}:${n.line}${n.function ? ` · ${clip(n.function, 30)}` : ''}`, cls: 'where' });
  return lines;
}

/**
 * Widths of texts as the webview draws them (the editor's font and size, each line's class): measured in
 * a hidden SVG, so every text fits inside its node whatever the font.
 */
function measurer(): { width(text: string, cls: string): number; done(): void } {
  const probe = el('svg', { width: 0, height: 0 });
  // Through the CSSOM: the Content-Security-Policy refuses style attributes.
  probe.style.position = 'absolute';
  probe.style.visibility = 'hidden';
  document.body.appendChild(probe);
  return {
    width: (text, cls) => {
      const t = el('text', { class: cls }, probe);
      t.textContent = text;
      const w = t.getComputedTextLength();
      t.remove();
      return w;
    },
    done: () => probe.remove(),
  };
}

function draw(g: FlowGraph): void {
  document.getElementById('title')!.textContent = g.title;
  const em = parseFloat(getComputedStyle(document.body).fontSize) || 14;
  const LINE = Math.round(em * LINE_EM);
  const pad = Math.round(em * PAD_EM);
  const measure = measurer();
  const layout = new dagre.graphlib.Graph({ compound: true });
  layout.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: 36, marginx: 16, marginy: 16 });
  layout.setDefaultEdgeLabel(() => ({}));
  g.packages.forEach((p, i) => layout.setNode(`cluster${i}`, { label: p }));
  for (const n of g.nodes) {
    const lines = nodeLines(n);
    // The allocation's ellipse needs more room than a box for the same text.
    const width = Math.max(...lines.map((l) => measure.width(l.text, l.cls))) * (n.kind === 'allocation' ? 1.2 : 1) + 2 * pad;
    layout.setNode(n.id, { width, height: lines.length * LINE + pad });
    layout.setParent(n.id, `cluster${g.packages.indexOf(n.pkg)}`);
  }
  for (const e of g.edges) layout.setEdge(e.from, e.to, { label: e.label, width: measure.width(e.label, 'edge-label'), height: LINE, labelpos: 'c' });
  measure.done();
  dagre.layout(layout);

  const size = layout.graph();
  const W = (size.width ?? 400) + 20;
  const H = (size.height ?? 300) + 40;
  const svg = el('svg', { width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': g.title });
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
    if (info.x !== undefined) el('text', { x: info.x, y: (info.y ?? 0) + 4, 'text-anchor': 'middle', class: 'edge-label' }, group).textContent = e.label;
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
      el('text', { x: box.x, y: y + pad / 2 + (i + 0.75) * LINE, 'text-anchor': 'middle', class: l.cls }, group).textContent = l.text;
    });
    const open = (): void => { if (n.file) vscode.postMessage({ type: 'open', file: n.file, line: n.line, column: n.column }); };
    group.addEventListener('click', open);
    group.addEventListener('keydown', (ev) => { if ((ev as KeyboardEvent).key === 'Enter') open(); });
  }
  document.getElementById('graph')!.appendChild(svg);
  fit(svg, W, H);
  window.addEventListener('resize', () => fit(svg, W, H));
}

/**
 * Fit to the pane's width (never enlarged, never below MIN_SCALE), then bring the allocation into view:
 * a wide graph opens where the finding is, not on empty space.
 */
function fit(svg: SVGSVGElement, W: number, H: number): void {
  const pane = document.getElementById('graph')!;
  const scale = Math.max(MIN_SCALE, Math.min(1, pane.clientWidth / W));
  svg.setAttribute('width', String(Math.floor(W * scale)));
  svg.setAttribute('height', String(Math.floor(H * scale)));
  document.body.dataset.scale = scale.toFixed(2);
  svg.querySelector('.kind-allocation')?.scrollIntoView({ block: 'nearest', inline: 'center' });
}

draw(JSON.parse(document.getElementById('graph-data')!.textContent!) as FlowGraph);
