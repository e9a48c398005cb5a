// A process that owns its children the way the CLI and the language server do (endAllOnEveryWayOut, a
// tree started through spawnTracked, a helper registered with onEndAll, a temp dir of ours), then dies of an uncaught error: the one way out
// neither the CLI nor the server can be driven into from outside. Usage: node exitWays.js GO throw|reject
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { endAllOnEveryWayOut, makeTempDir, onEndAll } from '../../core/run/processes';
import { spawnTracked } from '../../core/run/spawn';

const [go, way] = process.argv.slice(2);
endAllOnEveryWayOut({ report: (m) => process.stderr.write(`${m}\n`), errorExitCode: 5 });
const dir = makeTempDir();
fs.writeFileSync(path.join(dir, 'copy.go'), 'package p\n');
process.stdout.write(`${dir}\n`);
void spawnTracked(go, ['build'], { timeoutMs: 600_000 });
// A long-lived helper in our own process group (as a parser helper is), ended through onEndAll.
const helper = spawn('sleep', ['1000'], { stdio: 'ignore' });
onEndAll(() => helper.kill('SIGKILL'));
const timer = setInterval(() => {
  if (!fs.existsSync(process.env.GEL_READY!)) return;
  clearInterval(timer);
  if (way === 'throw') throw new Error('boom');
  void Promise.reject(new Error('boom'));
}, 20);
