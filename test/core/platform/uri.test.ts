// core/platform/uri.ts on its own: URIs that name no file, case on POSIX, characters URIs must escape.
import * as assert from 'node:assert/strict';
import { LINUX, WIN32 } from '../../../core/platform/platform';
import { pathToUri, sameFileUri, uriToPath } from '../../../core/platform/uri';

describe('platform/uri', () => {
  it('reads the scheme case-insensitively, and no path from other schemes or bad file URIs', () => {
    assert.equal(uriToPath('FILE:///home/dev/a.go', LINUX), '/home/dev/a.go');
    assert.equal(uriToPath('vscode-notebook-cell:/a.go#1', LINUX), undefined);
    // A host on POSIX is not a file of this machine: Node refuses it.
    assert.equal(uriToPath('file://server/share/a.go', LINUX), undefined);
    // An encoded slash inside a segment names no path.
    assert.equal(uriToPath('file:///home/a%2Fb.go', LINUX), undefined);
  });

  it('round-trips characters a URI must escape', () => {
    for (const p of ['/tmp/100%/a.go', '/tmp/q?/a.go', '/tmp/#1/ä b.go']) assert.equal(uriToPath(pathToUri(p, LINUX), LINUX), p);
    assert.equal(pathToUri('/tmp/100%/a.go', LINUX), 'file:///tmp/100%25/a.go');
  });

  it('tells files apart by case on POSIX, by drive-letter spelling only on Windows', () => {
    assert.ok(!sameFileUri('file:///home/Dev/a.go', 'file:///home/dev/a.go', LINUX));
    assert.ok(sameFileUri('file:///home/dev/a%2Ego', 'file:///home/dev/a.go', LINUX));
    assert.ok(sameFileUri('file:///d%3A/src/a.go', 'file:///D:/src/a.go', WIN32));
    assert.ok(!sameFileUri('untitled:1', 'untitled:2', LINUX));
    assert.ok(sameFileUri('untitled:1', 'untitled:1', LINUX));
  });
});
