// core/platform/platform.ts on its own: what each system's description holds, absolute Windows paths,
// the cache directory's Windows environment spellings.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { DARWIN, HOST, isWindowsAbsolute, LINUX, platformFor, userCacheDir, WIN32 } from '../../../core/platform/platform';

describe('platform/platform', () => {
  it('describes the host as platformFor(process.platform) does, with its own path module', () => {
    assert.deepEqual(HOST, platformFor(process.platform));
    assert.equal(WIN32.path, path.win32);
    assert.equal(LINUX.path, path.posix);
    assert.equal(DARWIN.path, path.posix);
  });

  it('treats other Unix systems as POSIX, case-sensitive, without an executable suffix', () => {
    const bsd = platformFor('freebsd');
    assert.deepEqual({ ...bsd, path: undefined }, {
      name: 'freebsd', windows: false, path: undefined, nullDevice: '/dev/null', exeSuffix: '', caseInsensitive: false,
    });
  });

  it('knows drive and UNC paths as absolute Windows paths, and nothing else', () => {
    for (const p of ['C:\\x', 'c:/x', '\\\\server\\share\\x', '//server/share/x']) assert.ok(isWindowsAbsolute(p), p);
    for (const p of ['C:x', '/usr/x', 'x\\y', '\\\\server', '\\x', '1:\\x']) assert.ok(!isWindowsAbsolute(p), p);
  });

  it('reads LOCALAPPDATA as Windows spells it too, and gives LocalAppData the precedence', () => {
    assert.equal(userCacheDir(WIN32, { LOCALAPPDATA: 'D:\\Cache' }, 'C:\\Users\\dev'), 'D:\\Cache');
    assert.equal(userCacheDir(WIN32, { LocalAppData: 'E:\\A', LOCALAPPDATA: 'D:\\B' }, 'C:\\Users\\dev'), 'E:\\A');
    // An empty value counts as unset.
    assert.equal(userCacheDir(WIN32, { LocalAppData: '' }, 'C:\\Users\\dev'), 'C:\\Users\\dev\\AppData\\Local');
  });
});
