// What a user meets on a first day (issue 27), through the language server over stdio against the real compiler.
import * as assert from 'node:assert/strict';
import { LspClient } from '../helpers/lspClient';

const COUNT = `package m

import "fmt"

func Count(n int) string { return fmt.Sprint(n) }
`;

describe('first day (stdio)', function () {
  let c: LspClient | undefined;
  afterEach(async () => { await c?.stop(); c = undefined; });

  it('offers the verified strconv fix in a package that is the module root (go.mod beside the file)', async () => {
    c = await LspClient.start();
    const { file, uri } = await c.openInModule({ 'count.go': COUNT });
    const d = c.diagnostics.get(uri)!.find((x) => x.range.start.line === 4)!;
    assert.ok(d, 'a finding on the fmt.Sprint line');
    await c.waitFor(() => c!.status(file)?.fixes !== undefined, 'fix verification');
    const actions = await c.codeActions(file, d.range, [d]);
    assert.ok(actions.some((a) => a.title === 'Use strconv.Itoa(n) — removes 1 heap allocation'), actions.map((a) => a.title).join('; '));
  });
});
