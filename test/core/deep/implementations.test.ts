// Possible implementations of an interface method in the user's module, from the module's real -m=2
// output: same name and arity, methods only, each with what its own summary does with the parameter.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { DeepCache } from '../../../core/deep/cache';
import { findImplementations } from '../../../core/deep/implementations';
import { tempModule } from '../../helpers/goEnv';

const STORE = `package store

type Store interface{ Put(k string, v *int) }

type Mem struct{ data map[string]*int }

func (m *Mem) Put(k string, v *int) { m.data[k] = v }

type Disk struct{ n int }

func (d Disk) Put(k string, v *int) { d.n += len(k) }

type Short struct{}

func (Short) Put(k string) {}

func Put(k string, v *int) {}
`;

describe('deep/implementations findImplementations', function () {
  this.timeout(300_000);
  let dir: string;
  before(() => { dir = tempModule({ 'store/store.go': STORE, 'main.go': 'package main\n\nimport _ "example.com/impl/store"\n\nfunc main() {}\n' }, '1.24', 'example.com/impl'); });

  it('lists the methods of that name and arity with their summary of the receiving parameter', async () => {
    const counter = { runs: 0 };
    const found = await findImplementations({ dir }, new DeepCache(), 'example.com/impl', { name: 'Put', argIndex: 1, argCount: 2 }, counter, 20);
    const file = path.join(dir, 'store', 'store.go');
    const lineOf = (s: string) => STORE.split('\n').findIndex((l) => l.includes(s)) + 1;
    assert.deepEqual(found.map((i) => [i.pkg, i.method, i.file, i.line, i.param, i.verdict]).sort(), [
      ['example.com/impl/store', '(*Mem).Put', file, lineOf('func (m *Mem) Put'), 'v', 'leaks'],
      ['example.com/impl/store', 'Disk.Put', file, lineOf('func (d Disk) Put'), 'v', 'does-not-escape'],
    ]);
    const mem = found.find((i) => i.method === '(*Mem).Put')!;
    assert.equal(mem.message, 'leaking param: v');
    assert.match(mem.detail ?? '', /m\.data\[k\] = v/);
    assert.ok(counter.runs >= 1, 'the module was compiled');
  });

  it('asks about the receiver when the value is the receiver, and stops at the limit', async () => {
    const cache = new DeepCache();
    const recv = await findImplementations({ dir }, cache, 'example.com/impl', { name: 'Put', argIndex: 'receiver', argCount: 2 }, { runs: 0 }, 20);
    assert.deepEqual(recv.map((i) => i.param).sort(), ['d', 'm']);
    const one = await findImplementations({ dir }, cache, 'example.com/impl', { name: 'Put', argIndex: 1, argCount: 2 }, { runs: 0 }, 1);
    assert.equal(one.length, 1);
  });

  it('finds nothing for a name no method has, or a module path that is not the module', async () => {
    assert.deepEqual(await findImplementations({ dir }, new DeepCache(), 'example.com/impl', { name: 'Get', argIndex: 0, argCount: 1 }, { runs: 0 }, 20), []);
    assert.deepEqual(await findImplementations({ dir }, new DeepCache(), 'example.com/other', { name: 'Put', argIndex: 1, argCount: 2 }, { runs: 0 }, 20), []);
  });
});
