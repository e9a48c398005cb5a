// A real heap profile from a real benchmark: `go test -bench -memprofile` in a temp module.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { tempDir, tempModule } from './goEnv';

export const PROFILED = `package prof

import "fmt"

type T struct{ A [64]byte }

func New() *T { return &T{} }

func Label(n int) string { return fmt.Sprint(n) }
`;

export function profiledModule(): { dir: string; profile: string } {
  const dir = tempModule({
    'p.go': PROFILED,
    'p_test.go': 'package prof\n\nimport "testing"\n\nvar sink any\n\nfunc BenchmarkNew(b *testing.B) {\n\tfor i := 0; i < b.N; i++ {\n\t\tsink = New()\n\t\tsink = Label(i + 1000)\n\t}\n}\n',
  }, '1.24', 'example.com/prof');
  const out = tempDir();
  const profile = path.join(out, 'mem.out');
  const r = spawnSync('go', ['test', '-run=^$', '-bench=.', '-benchtime=20000x', `-memprofile=${profile}`, '-memprofilerate=1',
    '-o', path.join(out, 'prof.test'), '.'], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`benchmark failed: ${r.stdout}${r.stderr}`);
  return { dir, profile };
}
