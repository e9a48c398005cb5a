// A policy file with a mistake in the editor: one error message naming the key and the file (the line the
// CLI prints), shown once per change of the file, and no policy applied until it is fixed.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SourceCache } from '../../core/locate/sourceCache';
import { Engine } from '../../server/engine/engine';
import { SettingsCache } from '../../server/settings';
import { tempModule } from '../helpers/goEnv';
import { MemoryHost } from './engine/memoryHost';

const SOURCE = 'package m\n\ntype T struct{ a [4]int }\n\nfunc New() *T { return &T{} }\n';

describe('server: a policy file with a mistake', () => {
  it('is one error message naming the key and the file; the findings keep their settings severity', async () => {
    const dir = tempModule({ 'm.go': SOURCE, '.escapelens.json': '{ "rule": [{ "tier": "L1", "action": "fail" }] }\n' });
    fs.mkdirSync(path.join(dir, '.git'));
    const policy = path.join(dir, '.escapelens.json');
    const host = new MemoryHost();
    const engine = new Engine(host, new SettingsCache(async () => ({ quickFixes: false })), new SourceCache(), true);
    const file = path.join(dir, 'm.go');
    const uri = host.open(file);
    await engine.onEvent(uri, 'open');
    const errors = () => host.events.flatMap((e) => (e.kind === 'error' ? [e.message] : []));
    assert.deepEqual(errors(), [`Go Escape Lens: policy ${policy}: unknown key "rule" (known: $schema, default, rules)`]);
    // The default severity (information), not the policy's error: a broken policy enforces nothing.
    assert.deepEqual(host.diagnostics(uri)!.map((d) => d.severity), [3]);
    // Saved again with the policy unchanged: not told twice.
    host.save(file, SOURCE + '\n');
    await engine.onEvent(uri, 'save');
    assert.equal(errors().length, 1);
    // Fixed: the policy decides.
    fs.writeFileSync(policy, '{ "rules": [{ "tier": "L1", "action": "fail" }] }\n');
    fs.utimesSync(policy, new Date(), new Date(Date.now() + 5000));
    host.save(file, SOURCE);
    await engine.onEvent(uri, 'save');
    assert.deepEqual(host.diagnostics(uri)!.map((d) => d.severity), [1]);
    assert.equal(errors().length, 1);
  });
});
