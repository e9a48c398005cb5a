// `go env` answers the analyses need (GOROOT to look up standard types, GOFLAGS to never replace a user's
// -toolexec), each asked once, beside the build.
import { watchDownloads } from './downloads';
import { moduleRoot } from './module';
import type { RunOptions } from './runGo';
import { spawnTracked } from './spawn';

export interface GoEnvValue { answer: Promise<string | undefined>; value?: string }
const GO_ENV = new Map<string, GoEnvValue>();

/**
 * `go env NAME` of the go command, asked once per command and environment (and module, with `perModule`),
 * in the background: `answer` when it has answered (undefined if it failed), `value` once it has.
 */
export function goEnvOnce(opts: RunOptions, name: string, perModule: boolean): GoEnvValue {
  const key = `${name}\0${opts.goCommand ?? 'go'}\0${JSON.stringify(opts.env ?? {})}${perModule ? `\0${moduleRoot(opts.dir) ?? opts.dir}` : ''}`;
  let entry = GO_ENV.get(key);
  if (!entry) {
    // Running beside the build, this go may be the one that downloads the toolchain go.mod asks for.
    const e: GoEnvValue = {
      answer: spawnTracked(opts.goCommand || 'go', ['env', name], {
        cwd: opts.dir, env: opts.env, timeoutMs: 30_000, onStderr: opts.onDownload && ((s) => watchDownloads(s, opts.onDownload!)),
      }).then((r) => (r.exitCode === 0 ? (e.value = r.stdout.trim()) : undefined), () => undefined),
    };
    GO_ENV.set(key, entry = e);
  }
  return entry;
}
