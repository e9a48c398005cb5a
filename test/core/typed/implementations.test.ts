// Implementations from the type checker: named types of the package and of the packages its check
// loaded that implement an interface (go/types' Implements for T and *T), never a method of the same name
// with another signature.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { clearTypedFacts, implementations, typedFacts } from '../../../core/typed/packageTypes';
import { closeTypeCheckers } from '../../../core/typed/typeChecker';
import type { TypedFacts } from '../../../core/typed/typedFacts';
import { tempModule } from '../../helpers/goEnv';
import { checkedModule } from '../../helpers/typed';

const IFACE = `package iface

type Sink interface{ Put(b []byte) error }

type Val struct{}

func (Val) Put(b []byte) error { return nil }

type Ptr struct{}

func (*Ptr) Put(b []byte) error { return nil }

// Other has a Put of another signature: it does not implement Sink.
type Other struct{}

func (Other) Put(s string) error { return nil }
`;

const IMPL = `package impl

import "example.com/m/iface"

type Remote struct{}

func (*Remote) Put(b []byte) error { return nil }

// Wrong's Put returns nothing.
type Wrong struct{}

func (Wrong) Put(b []byte) {}

type Generic[T any] struct{ v T }

func (*Generic[T]) Put(b []byte) error { return nil }

func Use(s iface.Sink, r *Remote) {
	_ = s.Put(nil)
	_ = r.Put(nil)
}
`;

describe('implementations (types.Implements)', function () {
  this.timeout(300_000);
  let file: string;
  let facts: TypedFacts;
  before(async () => ({ file, facts } = await checkedModule({ 'iface/iface.go': IFACE, 'impl/impl.go': IMPL }, 'impl/impl.go')));
  after(() => { clearTypedFacts(); closeTypeCheckers(); });

  const expected = [
    { type: 'example.com/m/iface.Ptr', pointer: true },
    { type: 'example.com/m/iface.Val', pointer: false },
    { type: 'example.com/m/impl.Remote', pointer: true },
  ];

  it('by package and name: across both packages, pointer and value receivers, nothing that only shares the name', async () => {
    const r = await implementations(facts, { pkg: 'example.com/m/iface', name: 'Sink' });
    assert.equal(r.interface, 'example.com/m/iface.Sink');
    assert.deepEqual(r.types, expected);
    assert.ok(r.packages.includes('example.com/m/iface') && r.packages.includes('example.com/m/impl'));
  });

  it('by the call site of an interface method', async () => {
    const text = fs.readFileSync(file, 'utf8');
    const call = Buffer.from(text).indexOf('s.Put(') + 5;
    assert.equal(facts.callAt(file, call)?.kind, 'interface');
    const r = await implementations(facts, { file, at: call });
    assert.deepEqual(r.types, expected);
  });

  it('a static call site is no interface to ask about', async () => {
    const text = fs.readFileSync(file, 'utf8');
    const call = Buffer.from(text).indexOf('r.Put(') + 5;
    assert.equal(facts.callAt(file, call)?.callee, '(*example.com/m/impl.Remote).Put');
    await assert.rejects(implementations(facts, { file, at: call }), /no method call or method value on an interface/);
  });

  it('standard-library interfaces: only types that implement io.Writer', async () => {
    const w = tempModule({
      'w.go': 'package w\n\nimport (\n\t"bytes"\n\t"io"\n)\n\ntype Log struct{}\n\nfunc (*Log) Write(p []byte) (int, error) { return len(p), nil }\n\ntype NotW struct{}\n\nfunc (NotW) Write(p []byte) int { return 0 }\n\nvar _ io.Writer = new(bytes.Buffer)\n',
    });
    const r = await implementations(await typedFacts(w), { pkg: 'io', name: 'Writer' });
    const names = r.types.map((t) => t.type);
    assert.ok(names.includes('example.com/m.Log'));
    assert.ok(names.includes('bytes.Buffer'));
    assert.ok(!names.includes('example.com/m.NotW'));
    assert.ok(!names.includes('io.Writer'), 'an interface is not an implementation');
  });
});
