// Many packages: the whole CLI over `DIR/...` (`go-escape-lens --json DIR/...`) against the bare go command
// it runs (`go build -gcflags=./...=-m=2 -o /dev/null ./...` in DIR), on a warm build cache and on a cold
// one (a fresh empty GOCACHE for each command, same run). Two trees: GOROOT's encoding/... (12 packages)
// and a real module of 100+ packages, golang.org/x/tools pinned, fetched through the Go module proxy into
// a temp copy. Also checks that our findings are the same from the cold build and the warm replay. Warm,
// also against the go command's own floor, `go list -export` with the same flags (the compiles the CLI
// runs, never a link): the ratio to it is our own overhead on top of the compiles.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { median, time } from './stats';

/** A real module of 100+ packages that builds with current Go (x/tools ≤ v0.30 does not build with Go 1.26). */
const MODULE = 'golang.org/x/tools@v0.52.0';

interface Tree { name: string; root: string; env: NodeJS.ProcessEnv; packages: number }

export function benchPackages(repo: string, goroot: string): void {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gel-bench-packages-'));
  try {
    const rssProbe = path.join(work, 'maxrss.js');
    // Peak RSS of the CLI process itself, printed on exit (resourceUsage is the process's own getrusage).
    fs.writeFileSync(rssProbe, "process.on('exit', () => process.stderr.write(`\\nmaxRSS=${process.resourceUsage().maxRSS}\\n`));\n");
    const trees: Tree[] = [tree('encoding/...', path.join(goroot, 'src', 'encoding'), process.env), moduleTree(work)];
    console.log('packages: go-escape-lens --json DIR/... vs bare go build -gcflags=./...=-m=2 -o /dev/null ./... in DIR (ms; medians)');
    console.log('  tree | packages | cache | bare ms | ours ms | ratio | our peak RSS MB | bare go list -export ms (warm) | ratio to it');
    for (const t of trees) {
      const bare = (env: NodeJS.ProcessEnv) => time(() => {
        const r = spawnSync('go', ['build', '-gcflags=./...=-m=2', '-o', '/dev/null', './...'], { cwd: t.root, env, maxBuffer: 1 << 30 });
        if (r.status !== 0) throw new Error(`go build failed in ${t.root}: ${String(r.stderr).slice(-500)}`);
      });
      let rss = 0;
      let doc = '';
      const ours = (env: NodeJS.ProcessEnv) => time(() => {
        const r = spawnSync(process.execPath, ['-r', rssProbe, path.join(repo, 'dist', 'cli.js'), '--json', './...'], { cwd: t.root, env, encoding: 'utf8', maxBuffer: 1 << 30 });
        if (r.status !== 0 && r.status !== 1) throw new Error(`CLI failed (${r.status}) in ${t.root}: ${r.stderr.slice(-500)}`);
        rss = Math.max(rss, Number(/maxRSS=(\d+)/.exec(r.stderr)?.[1] ?? 0));
        doc = r.stdout;
      });
      // The go command's own floor, as the CLI runs it (core/run/flags.ts): the compiles alone, no link.
      const compilesOnly = (env: NodeJS.ProcessEnv) => time(() => {
        const r = spawnSync('go', ['list', '-export', '-f', '{{""}}', '-gcflags=./...=-m=2', './...'], { cwd: t.root, env, maxBuffer: 1 << 30 });
        if (r.status !== 0) throw new Error(`go list -export failed in ${t.root}: ${String(r.stderr).slice(-500)}`);
      });
      const row = (cache: string, b: number, o: number, c?: number) =>
        console.log(`  ${t.name} | ${t.packages} | ${cache} | ${b.toFixed(0)} | ${o.toFixed(0)} | ${(o / b).toFixed(2)} | ${(rss / 1024).toFixed(0)}` +
          (c === undefined ? '' : ` | ${c.toFixed(0)} | ${(o / c).toFixed(2)}`));
      // Cold: a fresh empty GOCACHE for each command (the whole standard library compiles too).
      const cold = (): NodeJS.ProcessEnv => ({ ...t.env, GOCACHE: fs.mkdtempSync(path.join(work, 'gocache-')) });
      const coldEnvB = cold();
      const coldBare = bare(coldEnvB);
      fs.rmSync(coldEnvB.GOCACHE!, { recursive: true, force: true });
      const coldEnvO = cold();
      const coldOurs = ours(coldEnvO);
      fs.rmSync(coldEnvO.GOCACHE!, { recursive: true, force: true });
      const coldFindings = findingsOf(doc);
      row('cold', coldBare, coldOurs);
      rss = 0;
      // Warm: the shared cache, filled first; bare and ours alternate so that load hits both alike.
      bare(t.env);
      const runs = t.packages > 50 ? 5 : 7; // a big tree varies from run to run: not fewer
      const b: number[] = [];
      const o: number[] = [];
      const c: number[] = [];
      for (let i = 0; i < runs; i++) { b.push(bare(t.env)); o.push(ours(t.env)); c.push(compilesOnly(t.env)); }
      row('warm', median(b), median(o), median(c));
      const warmFindings = findingsOf(doc);
      if (warmFindings !== coldFindings) throw new Error(`${t.name}: the findings of the cold build and of the warm replay differ`);
      console.log(`  ${t.name}: the same ${JSON.parse(doc).findings.length} findings from the cold build and the warm replay`);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function tree(name: string, root: string, env: NodeJS.ProcessEnv): Tree {
  const out = execFileSync('go', ['list', '-e', './...'], { cwd: root, env, encoding: 'utf8' });
  return { name, root, env, packages: out.trim().split('\n').length };
}

/** MODULE's source from the module proxy (or the module cache), copied to a writable temp dir with its go.sum. */
function moduleTree(work: string): Tree {
  const info = JSON.parse(execFileSync('go', ['mod', 'download', '-json', MODULE], { cwd: work, encoding: 'utf8' })) as { Dir: string };
  const root = path.join(work, 'module');
  fs.cpSync(info.Dir, root, { recursive: true });
  // The module cache is read-only; the copy is ours.
  for (const e of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    const p = path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name);
    fs.chmodSync(p, e.isDirectory() ? 0o755 : 0o644);
  }
  fs.chmodSync(root, 0o755);
  // Its own go.sum pins the dependencies; -mod=mod lets the go command fetch them (through the proxy).
  const env = { ...process.env, GOFLAGS: '-mod=mod', GOWORK: 'off' };
  execFileSync('go', ['mod', 'download'], { cwd: root, env, stdio: 'ignore' });
  const t = tree(MODULE, root, env);
  if (t.packages < 100) throw new Error(`${MODULE} has ${t.packages} packages, not 100+`);
  return t;
}

/**
 * The findings and which packages built. Not `pos.path`, the position as the compiler printed it: a
 * build prints it relative to where the go command ran, a cache replay as it was recorded (absolute, from
 * another directory); `file` is where it is. Not `skipped`: a line the go command prints for several
 * packages (a wrapper's) is counted under the first package printed, and the go command prints packages
 * in the order it finishes them.
 */
function findingsOf(doc: string): string {
  const d = JSON.parse(doc) as { findings: { pos: { path?: string } }[]; packages: { dir: string; ok: boolean }[] };
  for (const f of d.findings) delete f.pos.path;
  return JSON.stringify([d.packages.map((p) => [p.dir, p.ok]), d.findings]);
}

