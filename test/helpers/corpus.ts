// The real-code corpus: popular third-party modules pinned in test/corpus/go.mod, fetched through the
// module proxy (the go command downloads them on first use; CI keeps GOMODCACHE between runs).
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { REPO } from './goEnv';

export const CORPUS_DIR = path.join(REPO, 'test', 'corpus');

/** Import paths analysed by the real-code tests. */
export const CORPUS = [
  'github.com/gin-gonic/gin',
  'github.com/go-chi/chi/v5',
  'github.com/go-sql-driver/mysql',
  'github.com/gorilla/mux',
  'github.com/json-iterator/go',
  'github.com/patrickmn/go-cache',
  'github.com/prometheus/client_golang/prometheus',
  'github.com/sirupsen/logrus',
  'github.com/spf13/cobra',
  'go.uber.org/zap',
  'go.uber.org/zap/zapcore',
];

/** The measure-only corpus (test/corpus-measure): other modules, figures printed, nothing asserted or tuned. */
export const MEASURE_DIR = path.join(REPO, 'test', 'corpus-measure');
export const MEASURE = ['github.com/lib/pq', 'github.com/vmihailenco/msgpack/v5'];

/** The directory of a corpus package in the module cache (downloads the module if needed). */
export function corpusDir(importPath: string): string {
  return execFileSync('go', ['list', '-f', '{{.Dir}}', importPath], { cwd: CORPUS_DIR, encoding: 'utf8' }).trim();
}
