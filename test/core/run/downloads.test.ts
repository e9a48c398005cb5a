// Download notices from the go command's stderr: toolchains and modules, lines split across chunks, CRLF.
import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { downloadNotice, watchDownloads, type DownloadNotice } from '../../../core/run/downloads';

describe('run/downloads', () => {
  it('reads toolchain and module download lines, and nothing else', () => {
    assert.deepEqual(downloadNotice('go: downloading go1.23.4 (linux/amd64)'), { kind: 'toolchain', what: 'go1.23.4 (linux/amd64)' });
    assert.deepEqual(downloadNotice('go: downloading go1.24rc1 (darwin/arm64)'), { kind: 'toolchain', what: 'go1.24rc1 (darwin/arm64)' });
    assert.deepEqual(downloadNotice('go: downloading github.com/gorilla/mux v1.8.1'), { kind: 'module', what: 'github.com/gorilla/mux v1.8.1' });
    assert.equal(downloadNotice('go: finding module for package x'), undefined);
    assert.equal(downloadNotice('./a.go:3:2: moved to heap: x'), undefined);
    assert.equal(downloadNotice('go: downloading'), undefined);
  });

  it('tells each download line of a stream as it is printed, whatever the chunks', async () => {
    const s = new PassThrough();
    const got: DownloadNotice[] = [];
    watchDownloads(s, (n) => got.push(n));
    s.write('./a.go:1:1: x escapes to heap\ngo: downl');
    s.write('oading golang.org/x/text v0.14.0\r\n');
    assert.deepEqual(got, [{ kind: 'module', what: 'golang.org/x/text v0.14.0' }]);
    s.write('go: downloading go1.22.0 (linux/amd64)');
    assert.equal(got.length, 1, 'a line is told once it ends');
    s.write('\n');
    assert.deepEqual(got[1], { kind: 'toolchain', what: 'go1.22.0 (linux/amd64)' });
    s.end();
    watchDownloads(undefined, () => assert.fail('no stream, no notice'));
  });
});
