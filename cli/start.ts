// The CLI's entry (dist/cli.js): loads the CLI's bundle (dist/cli-main.js) with a V8 code cache. Compiling
// the bundle and the functions a run calls costs ~40 ms of a run that is short when the build cache
// replays (`DIR/...` of a dozen packages: ~0.5 s), and Node 20 has no compile cache of its own
// (module.enableCompileCache is Node 22+). The cache is V8's bytecode for this bundle under this node,
// in the user's cache directory (never beside the user's code), keyed by the bundle's text, the node
// version and its flags; it holds no result: what a run finds stays a function of what the go command
// prints. Any problem with it (unwritable, stale, rejected) just means compiling as node would.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import Module from 'node:module';
import { userCacheDir } from '../core/platform/platform';

/** Cache files not used for this long are removed when a new one is written (an older CLI's, an older node's). */
const STALE_MS = 14 * 24 * 3600 * 1000;

function start(): void {
  const file = path.join(__dirname, 'cli-main.js');
  const text = fs.readFileSync(file, 'utf8');
  const dir = path.join(userCacheDir(), 'go-escape-lens', 'v8-cache');
  const key = crypto.createHash('sha256').update(text).update('\0').update(process.version).update(process.arch)
    .update('\0').update(process.execArgv.join('\0')).digest('hex').slice(0, 20);
  const cacheFile = path.join(dir, `cli-${key}.bin`);
  let cachedData: Buffer | undefined;
  try { cachedData = fs.readFileSync(cacheFile); } catch { /* none yet */ }
  const script = new vm.Script(Module.wrap(text), { filename: file, cachedData });
  const fresh = cachedData === undefined || script.cachedDataRejected === true;
  if (fresh) {
    // Made at exit, so that it also holds the functions this run compiled (most of what the next one calls).
    process.once('exit', () => saveCache(script, dir, cacheFile));
  } else {
    // Marks it used (the sweep above keeps it).
    try { const now = new Date(); fs.utimesSync(cacheFile, now, now); } catch { /* read-only: fine */ }
  }
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file));
  const req = Module.createRequire(file);
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  wrapper.call(mod.exports, mod.exports, req, mod, file, path.dirname(file));
}

/** Written under a temp name and renamed into place: a concurrent run reads the old file or the whole new one. */
function saveCache(script: vm.Script, dir: string, cacheFile: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, script.createCachedData());
    fs.renameSync(tmp, cacheFile);
    const now = Date.now();
    for (const name of fs.readdirSync(dir)) {
      const p = path.join(dir, name);
      if (p !== cacheFile && name.startsWith('cli-') && now - fs.statSync(p).mtimeMs > STALE_MS) fs.rmSync(p, { force: true });
    }
  } catch { /* no cache this time */ }
}

start();
