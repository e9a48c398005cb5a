// Real big packages for the bench, pinned through the Go module proxy: the scale, server and target rows
// are taken on them beside the generated packages (bench/generate.ts), whose output is regular where real
// output is not (records of thousands of explanations, long flows, many files). Each module is fetched
// (`go mod download`, from the module cache when it is there) and copied to a writable temp dir with its
// go.sum, so that the compiler and our server may build it and we may edit a file of it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';

export interface RealPackage {
  /** What the rows print. */
  label: string;
  /** What kind of code: the issue asks for each. */
  kind: 'generated API' | 'client library' | 'protobuf';
  module: string;
  version: string;
  /** The package's directory in the module. */
  pkg: string;
  /** A big file of the package: the one saved in the server rows and hovered over. */
  file: string;
  /** A directory of the module holding many packages of which only those on `pkg`'s path are copied. */
  only?: string;
}

/** Smallest output first; the last is the big one (the server's memory and hover rows use it). */
export const REAL_PACKAGES: readonly RealPackage[] = [
  { label: 'aws-sdk-go sqs', kind: 'generated API', module: 'github.com/aws/aws-sdk-go', version: 'v1.55.8', pkg: 'service/sqs', file: 'api.go', only: 'service' },
  { label: 'envoy config/route/v3', kind: 'protobuf', module: 'github.com/envoyproxy/go-control-plane/envoy', version: 'v1.40.0', pkg: 'config/route/v3', file: 'route_components.pb.go' },
  { label: 'aws-sdk-go s3', kind: 'generated API', module: 'github.com/aws/aws-sdk-go', version: 'v1.55.8', pkg: 'service/s3', file: 'api.go', only: 'service' },
  { label: 'go-github v66', kind: 'client library', module: 'github.com/google/go-github/v66', version: 'v66.0.0', pkg: 'github', file: 'github-accessors.go' },
  { label: 'k8s.io/api core/v1', kind: 'protobuf', module: 'k8s.io/api', version: 'v0.37.2', pkg: 'core/v1', file: 'generated.pb.go' },
  { label: 'aws-sdk-go ec2', kind: 'generated API', module: 'github.com/aws/aws-sdk-go', version: 'v1.55.8', pkg: 'service/ec2', file: 'api.go', only: 'service' },
];

/**
 * The packages a run measures: all, or those whose label contains one of GEL_BENCH_REAL's
 * comma-separated words (e.g. `GEL_BENCH_REAL=sqs,go-github`); in REAL_PACKAGES' order.
 */
export function realPackages(): readonly RealPackage[] {
  const words = process.env.GEL_BENCH_REAL?.split(',').map((w) => w.trim()).filter(Boolean);
  return words?.length ? REAL_PACKAGES.filter((p) => words.some((w) => p.label.includes(w))) : REAL_PACKAGES;
}

export interface FetchedPackage extends RealPackage {
  /** The package's directory in the writable copy. */
  dir: string;
  /** The environment its go commands (and our CLI and server) run in. */
  env: NodeJS.ProcessEnv;
  /** Lines of Go in the package's non-test files. */
  goLines: number;
}

/** Environment for a copied module: its own go.mod and go.sum, no workspace of ours around it. */
const ENV: NodeJS.ProcessEnv = { ...process.env, GOWORK: 'off' };

/**
 * The package's module from the module proxy, copied under `work` (one copy per module, shared by its
 * packages, or per package with `only`), its dependencies downloaded as its go.sum pins them.
 */
export function fetchPackage(work: string, p: RealPackage): FetchedPackage {
  const root = path.join(work, `${p.module}@${p.version}${p.only ? `_${p.pkg}` : ''}`.replace(/[/@]/g, '_'));
  if (!fs.existsSync(root)) {
    fs.mkdirSync(work, { recursive: true });
    const info = JSON.parse(execFileSync('go', ['mod', 'download', '-json', `${p.module}@${p.version}`], { cwd: work, env: ENV, encoding: 'utf8' })) as { Dir: string };
    // (The module's other packages under `only` are neither built nor needed: not copied.)
    const keep = (from: string) => {
      const rel = path.relative(path.join(info.Dir, p.only ?? ''), from);
      return !p.only || rel.startsWith('..') || rel === '' || rel.split(path.sep)[0] === path.relative(p.only, p.pkg).split(path.sep)[0];
    };
    fs.cpSync(info.Dir, root, { recursive: true, filter: keep });
    // The module cache is read-only; the copy is ours.
    for (const f of fs.readdirSync(root, { recursive: true }).map(String)) {
      const at = path.join(root, f);
      fs.chmodSync(at, fs.statSync(at).isDirectory() ? 0o755 : 0o644);
    }
    fs.chmodSync(root, 0o755);
    execFileSync('go', ['mod', 'download'], { cwd: root, env: ENV, stdio: 'ignore' });
  }
  const dir = path.join(root, p.pkg);
  const goLines = fs.readdirSync(dir).filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'))
    .reduce((n, f) => n + fs.readFileSync(path.join(dir, f), 'utf8').split('\n').length, 0);
  return { ...p, dir, env: ENV, goLines };
}

/** The first `fraction` of a -m=2 log, cut where a record starts (a line not indented). */
export function logPrefix(log: string, fraction: number): string {
  let at = Math.floor(log.length * fraction);
  for (;;) {
    const nl = log.indexOf('\n', at);
    if (nl < 0) return log;
    at = nl + 1;
    if (log[at] !== ' ' && log[at] !== '\t') return log.slice(0, at);
  }
}
