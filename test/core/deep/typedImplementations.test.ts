// Deep paths ending at an interface call list only the module's types that implement the interface, by the
// type checker: a method of the same name and arity with another signature is not a possible callee.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyzePackage } from '../../../core/analysis/analyzePackage';
import { DeepCache } from '../../../core/deep/cache';
import { typedImplementers } from '../../../core/deep/implementations';
import { explainDeep } from '../../../core/deep/walk';
import { loadGoParser } from '../../../core/locate/goParser';
import { SourceCache } from '../../../core/locate/sourceCache';
import { clearTypedFacts } from '../../../core/typed/packageTypes';
import { closeTypeCheckers } from '../../../core/typed/typeChecker';
import { tempModule } from '../../helpers/goEnv';

const STORE = `package store

type Sink interface{ Put(p *int) }

// Not inlined: the compiler's path then names the interface call at its own position.
//
//go:noinline
func Hand(s Sink, p *int) { s.Put(p) }

type Last struct{ p *int }

//go:noinline
func (l *Last) Put(p *int) { l.p = p }

type Discard struct{}

//go:noinline
func (Discard) Put(p *int) { _ = *p }

// Other's Put has the name and the arity, not the signature: no Sink.
type Other struct{ s *string }

//go:noinline
func (o *Other) Put(s *string) { o.s = s }
`;

const APP = `package app

import "example.com/m/store"

// AppSink implements store.Sink in a package store does not import: the type checker of store cannot see it.
type AppSink struct{ p *int }

//go:noinline
func (a *AppSink) Put(p *int) { a.p = p }

func Hand(s store.Sink) {
	y := 2
	store.Hand(s, &y)
}
`;

describe('deep paths: implementations from the type checker', function () {
  this.timeout(300_000);
  after(() => { clearTypedFacts(); closeTypeCheckers(); });

  it('lists the types that implement the interface, not a same-named method of another signature; a type the call\'s package cannot see stays', async () => {
    const root = tempModule({ 'store/store.go': STORE, 'app/app.go': APP });
    const app = path.join(root, 'app');
    const r = await analyzePackage({ dir: app, sources: new SourceCache(await loadGoParser()) });
    assert.deepEqual(r.errors, []);
    const y = r.findings.find((f) => f.message === 'moved to heap: y');
    assert.ok(y, r.findings.map((f) => f.message).join('; '));
    const d = await explainDeep(y, { dir: app, cache: new DeepCache() });
    assert.equal(d?.sink?.kind, 'interface-call');
    assert.deepEqual((d?.implementations ?? []).map((i) => i.method).sort(), ['(*AppSink).Put', '(*Last).Put', 'Discard.Put']);
  });

  it('says nothing when the position is no interface call (every same-named method stays possible)', async () => {
    const root = tempModule({ 'store/store.go': STORE });
    const dir = path.join(root, 'store');
    const line = STORE.split('\n').findIndex((l) => l.startsWith('func Hand')) + 1;
    const col = 'func Hand(s Sink, p *int) { s.Put'.length + 1;
    const found = await typedImplementers({ dir }, dir, 'store.go', line, col);
    assert.deepEqual([...found!.types].sort(), ['example.com/m/store.Discard', 'example.com/m/store.Last']);
    assert.ok(found!.searched.has('example.com/m/store'));
    assert.equal(await typedImplementers({ dir }, dir, 'store.go', line, col - 2), undefined);
    assert.equal(await typedImplementers({ dir }, dir, 'store.go', line, undefined), undefined);
  });
});
