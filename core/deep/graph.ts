// One finding's whole path as a graph: nodes are the values and locations the compiler names, edges its
// steps with their reasons, clusters the packages. The webview lays it out; the CLI prints it as Mermaid
// or DOT. Pure data.
import * as path from 'node:path';
import type { Finding } from '../model';
import type { DeepPath } from '../model/deep';

export type NodeKind = 'allocation' | 'step' | 'param' | 'sink' | 'possible' | 'stop';

export interface GraphNode {
  id: string;
  label: string;
  kind: NodeKind;
  /** The package (cluster) the node belongs to. */
  pkg: string;
  function?: string;
  file: string;
  line: number;
  column?: number;
  /** Extra words shown under the label: a summary line, a verdict. */
  detail?: string;
}

export interface GraphEdge { from: string; to: string; label: string; possible?: boolean }

export interface FlowGraph {
  title: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Packages in path order; the first is the finding's own. */
  packages: string[];
}

export function buildGraph(f: Finding, deep?: DeepPath): FlowGraph {
  const home = f.pkg?.replace(/ \[.*\]$/, '') ?? path.dirname(f.file);
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const add = (n: Omit<GraphNode, 'id'>): string => {
    const id = `n${nodes.length}`;
    nodes.push({ id, ...n });
    return id;
  };
  let prev = add({ label: f.subject || f.message, kind: 'allocation', pkg: home, function: f.function, file: f.file,
    line: f.pos.line, column: f.pos.col, detail: f.message });
  for (const s of f.flow) {
    if (s.why === 'spill' && s.where === f.subject) continue;
    const id = add({ label: s.where, kind: 'step', pkg: home, function: f.function, file: s.file, line: s.line, column: s.column });
    edges.push({ from: prev, to: id, label: s.why });
    prev = id;
  }
  let pkgBefore = home;
  for (const h of deep?.hops ?? []) {
    const id = add({ label: `${h.function}(${h.param})`, kind: 'param', pkg: h.pkg, function: h.function, file: h.file,
      line: h.line, column: h.column, detail: h.message });
    // Crossing into another package is what the compiler's own output cannot show: the edge says so.
    edges.push({ from: prev, to: id, label: h.pkg !== pkgBefore ? `into ${h.pkg}` : 'call' });
    pkgBefore = h.pkg;
    prev = id;
    for (const s of h.steps) {
      const sid = add({ label: s.where, kind: 'step', pkg: s.pkg, function: s.function, file: s.file, line: s.line, column: s.column });
      edges.push({ from: prev, to: sid, label: s.why });
      prev = sid;
    }
  }
  const sink = deep?.sink;
  if (sink) {
    const last = nodes[nodes.length - 1];
    const words = sink.where && sink.text.endsWith(`: ${sink.where}`) ? sink.text.slice(0, -sink.where.length - 2) : sink.text;
    if (last.label === sink.where && last.line === sink.line) {
      last.kind = 'sink';
      last.detail = words;
    } else {
      const id = add({ label: sink.where || sink.text, kind: 'sink', pkg: sink.pkg, function: sink.function, file: sink.file,
        line: sink.line, column: sink.column, detail: words });
      edges.push({ from: prev, to: id, label: sink.why || 'sink' });
    }
    prev = nodes[nodes.length - 1].id;
    for (const impl of deep?.implementations ?? []) {
      const id = add({ label: impl.method, kind: 'possible', pkg: impl.pkg, function: impl.method, file: impl.file, line: impl.line,
        column: impl.column, detail: `possible: ${impl.message ?? impl.verdict}${impl.detail ? ` — ${impl.detail}` : ''}` });
      edges.push({ from: prev, to: id, label: 'possible', possible: true });
    }
  } else if (deep?.note) {
    const id = add({ label: deep.stop === 'depth' ? 'limit reached' : 'not followed', kind: 'stop', pkg: nodes[nodes.length - 1].pkg,
      file: '', line: 0, detail: deep.note });
    edges.push({ from: prev, to: id, label: deep.stop });
  }
  const packages: string[] = [];
  for (const n of nodes) if (!packages.includes(n.pkg)) packages.push(n.pkg);
  return { title: `${f.message}${f.function ? ` in ${f.function}` : ''}`, nodes, edges, packages };
}

function where(n: GraphNode): string {
  return n.file ? `${path.basename(n.file)}:${n.line}` : '';
}

function mermaidText(s: string): string {
  return s.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;').replace(/\|/g, '#124;');
}

const SHAPES: Partial<Record<NodeKind, [string, string]>> = { allocation: ['([', '])'], sink: ['[[', ']]'], param: ['[/', '/]'] };

export function toMermaid(g: FlowGraph): string {
  const out = ['flowchart TD', `  %% ${g.title}`];
  g.packages.forEach((p, i) => {
    out.push(`  subgraph p${i}["${mermaidText(p)}"]`);
    for (const n of g.nodes.filter((x) => x.pkg === p)) {
      const label = [n.label, n.detail && n.detail !== n.label ? n.detail : '', where(n)].filter(Boolean).map(mermaidText).join('<br/>');
      const [open, close] = SHAPES[n.kind] ?? ['[', ']'];
      out.push(`    ${n.id}${open}"${label}"${close}`);
    }
    out.push('  end');
  });
  for (const e of g.edges) out.push(`  ${e.from} ${e.possible ? '-.->' : '-->'}|${mermaidText(e.label)}| ${e.to}`);
  out.push('  classDef allocation stroke-width:3px', '  classDef sink stroke-width:3px,stroke-dasharray:0', '  classDef possible stroke-dasharray:4');
  for (const k of ['allocation', 'sink', 'possible'] as const) {
    const ids = g.nodes.filter((n) => n.kind === k).map((n) => n.id);
    if (ids.length) out.push(`  class ${ids.join(',')} ${k}`);
  }
  return out.join('\n') + '\n';
}

function dotText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

export function toDot(g: FlowGraph): string {
  const out = ['digraph escape {', `  label="${dotText(g.title)}";`, '  labelloc=t;', '  rankdir=TB;', '  node [shape=box, fontname="monospace"];'];
  g.packages.forEach((p, i) => {
    out.push(`  subgraph cluster_${i} {`, `    label="${dotText(p)}";`);
    for (const n of g.nodes.filter((x) => x.pkg === p)) {
      const label = [n.label, n.detail && n.detail !== n.label ? n.detail : '', where(n)].filter(Boolean).map(dotText).join('\\n');
      const style = n.kind === 'allocation' ? ', shape=oval, penwidth=3' : n.kind === 'sink' ? ', shape=doubleoctagon, penwidth=2'
        : n.kind === 'possible' ? ', style=dashed' : n.kind === 'param' ? ', shape=parallelogram' : n.kind === 'stop' ? ', shape=note' : '';
      out.push(`    ${n.id} [label="${label}"${style}];`);
    }
    out.push('  }');
  });
  for (const e of g.edges) out.push(`  ${e.from} -> ${e.to} [label="${dotText(e.label)}"${e.possible ? ', style=dashed' : ''}];`);
  out.push('}');
  return out.join('\n') + '\n';
}
