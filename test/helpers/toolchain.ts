// A Go toolchain the go command has to download, without the network: a module proxy in a temp dir
// (GOPROXY=file://…) serving golang.org/toolchain@v0.0.1-goX.Y.Z.GOOS-GOARCH whose bin/go runs this
// machine's go. The go command really switches (GOTOOLCHAIN=auto), prints `go: downloading goX.Y.Z (…)`,
// unpacks it into a fresh module cache and runs it, exactly as on a user's first build.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';
import { GOROOT, tempDir } from './goEnv';
import { writeZip } from './zip';

/** `delaySeconds`: the downloaded go waits this long before building, so a UI can be seen saying so. */
export function fakeToolchainProxy(version = 'go1.99.0', delaySeconds = 0): { env: Record<string, string>; version: string } {
  const [goos, goarch] = execFileSync('go', ['env', 'GOOS', 'GOARCH'], { encoding: 'utf8' }).trim().split('\n');
  const modVersion = `v0.0.1-${version}.${goos}-${goarch}`;
  const proxy = tempDir('gel-proxy-');
  const at = path.join(proxy, 'golang.org', 'toolchain', '@v');
  fs.mkdirSync(at, { recursive: true });
  fs.writeFileSync(path.join(at, 'list'), modVersion + '\n');
  fs.writeFileSync(path.join(at, `${modVersion}.info`), JSON.stringify({ Version: modVersion, Time: '2026-01-01T00:00:00Z' }));
  fs.writeFileSync(path.join(at, `${modVersion}.mod`), 'module golang.org/toolchain\n');
  const root = `golang.org/toolchain@${modVersion}/`;
  // The switched-to go is given GOROOT (the download) and the version it must be (it checks): run the real
  // one locally, as itself.
  const go = `#!/bin/sh\n${delaySeconds ? `sleep ${delaySeconds}\n` : ''}unset GOROOT GOTOOLCHAIN_INTERNAL_SWITCH_VERSION GOTOOLCHAIN_INTERNAL_SWITCH_COUNT\nexec env GOTOOLCHAIN=local ${JSON.stringify(path.join(GOROOT, 'bin', 'go'))} "$@"\n`;
  writeZip(path.join(at, `${modVersion}.zip`), {
    [`${root}bin/go`]: go,
    [`${root}bin/gofmt`]: `#!/bin/sh\nexec ${JSON.stringify(path.join(GOROOT, 'bin', 'gofmt'))} "$@"\n`,
    [`${root}pkg/tool/${goos}_${goarch}/README`]: 'tools come from the real toolchain\n',
    [`${root}lib/README`]: 'nothing here\n',
    [`${root}VERSION`]: `${version}\n`,
  });
  return {
    version,
    env: {
      GOTOOLCHAIN: 'auto',
      GOPROXY: pathToFileURL(proxy).href,
      GOSUMDB: 'off',
      // A module cache of its own: the download happens every time, and nothing lands in the shared cache.
      GOMODCACHE: path.join(tempDir('gel-modcache-'), 'mod'),
      GOFLAGS: '-modcacherw',
    },
  };
}
