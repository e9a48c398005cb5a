// Made the Windows transcripts from sample.linux.m2.txt once, by hand (kept to show exactly what was
// rewritten): each `pkg/file.go` position at the start of a line or after ` at ` gets a Windows path,
// and lines end in CRLF as the go command's output does when Windows tools capture it.
//   node test/windows/rewrite.mjs   (from the repository root)
import * as fs from 'node:fs';
const dir = new URL('.', import.meta.url);
const linux = fs.readFileSync(new URL('sample.linux.m2.txt', dir), 'utf8');
const variants = {
  'sample.windows-drive.m2.txt': 'C:\\Users\\dev\\src\\m\\',
  'sample.windows-unc.m2.txt': '\\\\server\\share\\m\\',
  'sample.windows-relative.m2.txt': '',
};
for (const [name, root] of Object.entries(variants)) {
  const text = linux.replace(/(^|(?<= at ))([a-z]+)\/([a-z_]+\.go)(?=:\d)/gm, (_, pre, pkg, file) => `${pre}${root}${pkg}\\${file}`);
  const goroot = text.replace(/\/usr\/local\/go\/(\S+\.go)(?=:\d)/g, (_, rest) => `C:\\Program Files\\Go\\${rest.replace(/\//g, '\\')}`);
  fs.writeFileSync(new URL(name, dir), goroot.replace(/\n/g, '\r\n'));
}
