// The compile's -m output as the compiler prints it, seconds before the go command shows it. The go
// command holds a tool's output back until the tool exits, but the compiler prints each escape-analysis
// diagnostic as soon as it has it, and escape analysis is over long before the backend is. With `-toolexec`, the go command starts each tool
// through the parser helper's -tee mode (goast/tee.go), which copies a -m compile's output to a local
// socket here. A caller analyses that copy while the backend runs and keeps the result only if the go
// command then prints exactly that text (core/analysis/earlyAnalysis.ts): results stay a pure function of what the
// go command prints.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { makeTempDir, removeTempDir } from './processes';

export interface EarlyOutput {
  /** The value of the go command's -toolexec flag. */
  readonly toolexec: string;
  /**
   * Blocks of whole lines as they arrive, as the go command would print them (through `rewrite`); the
   * first block starts with the `# desc` header line the go command prints above them.
   */
  onLines?: (block: string) => void;
  /** Every line so far went to onLines, and the output stopped growing for the quiet time while the compile runs. */
  onQuiet?: () => void;
  /** More output arrived after onQuiet: an analysis of the lines before is moot. */
  onMore?: () => void;
  /** Stops listening and removes the socket. */
  close(): void;
}

/** Unix socket paths are limited to ~104 bytes (macOS) / 108 (Linux). */
const MAX_SOCKET_PATH = 100;

/**
 * Listens for the tee of a build (one package, build mode) when `helper` can serve as the tee; undefined
 * when it cannot (Windows, where node's sockets are named pipes the tee cannot dial; a path the go
 * command's -toolexec quoting cannot hold; a socket that does not open).
 */
export async function openEarlyOutput(helper: string, quietMs: number, rewrite: (lines: string) => string): Promise<EarlyOutput | undefined> {
  if (process.platform === 'win32') return undefined;
  const exe = toolexecWord(helper);
  if (!exe) return undefined;
  const dir = makeTempDir();
  const socket = path.join(dir, 'tee.sock');
  const word = toolexecWord(socket);
  if (!word || socket.length > MAX_SOCKET_PATH) { removeTempDir(dir); return undefined; }
  let connections = 0;
  const open = new Set<net.Socket>();
  // The text as it arrives, decoded and rewritten a block of whole lines at a time (no pass over megabytes
  // in one go while hovers wait); the header line is the go command's, not rewritten.
  const decoder = new StringDecoder('utf8');
  let headerSeen = false;
  let head = ''; // the header line, until the first lines after it go out with it
  let rest = '';
  let timer: NodeJS.Timeout | undefined;
  let told = false;
  const server = net.createServer((conn) => {
    open.add(conn);
    conn.on('close', () => open.delete(conn));
    // One compile is what the speculation is for: a second one (a test variant) makes the text ambiguous.
    if (++connections > 1) { early.onMore?.(); conn.destroy(); return; }
    conn.on('data', (b: Buffer) => {
      if (connections > 1) return;
      if (told) { told = false; early.onMore?.(); }
      let s = rest + decoder.write(b);
      if (!headerSeen) {
        const nl = s.indexOf('\n');
        if (nl >= 0) { headerSeen = true; head = s.slice(0, nl + 1); s = s.slice(nl + 1); }
      }
      const last = headerSeen ? s.lastIndexOf('\n') : -1;
      if (last >= 0) { early.onLines?.(head + rewrite(s.slice(0, last + 1))); head = ''; rest = s.slice(last + 1); } else rest = s;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        // A line without its end yet: more is coming (the compiler ends each line).
        if (connections > 1 || rest !== '' || head !== '') return;
        told = true;
        early.onQuiet?.();
      }, quietMs);
    });
    // The compile ended: the go command prints its output in a moment, and the caller goes on from there.
    conn.on('end', () => { if (timer) { clearTimeout(timer); timer = undefined; } });
    conn.on('error', () => { /* the tee went away: the go command's own output is the answer */ });
  });
  server.unref();
  const listening = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(socket, () => resolve(true));
  });
  if (!listening) { server.close(); removeTempDir(dir); return undefined; }
  try { fs.chmodSync(socket, 0o600); } catch { /* the directory is private (mkdtemp: 0700) */ }
  const early: EarlyOutput = {
    toolexec: `${exe} -tee ${word}`,
    close() {
      if (timer) clearTimeout(timer);
      server.close();
      for (const c of open) c.destroy();
      removeTempDir(dir);
    },
  };
  return early;
}

/** A word of the go command's -toolexec value (split on spaces, '…' and "…" quoting), or undefined. */
export function toolexecWord(s: string): string | undefined {
  if (!/[\s'"]/.test(s)) return s;
  if (!s.includes('"')) return `"${s}"`;
  if (!s.includes("'")) return `'${s}'`;
  return undefined;
}
