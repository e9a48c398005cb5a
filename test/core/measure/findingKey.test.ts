// Finding keys: stable under line moves, distinct for repeated messages in one function, numbered in source order.
import * as assert from 'node:assert/strict';
import { findingKeys } from '../../../core/measure/findingKey';
import { finding } from '../../helpers/finding';

describe('measure/findingKey', () => {
  it('numbers repeats of one message in one function in source order, whatever the input order', () => {
    const second = finding({ function: 'F', pos: { path: './a.go', line: 9, col: 3 } });
    const first = finding({ function: 'F', pos: { path: './a.go', line: 4, col: 3 } });
    const sameLineLater = finding({ function: 'F', pos: { path: './a.go', line: 9, col: 12 } });
    const keys = findingKeys([sameLineLater, second, first]);
    assert.equal(keys.get(first), '/m/a.go|F|x escapes to heap|0');
    assert.equal(keys.get(second), '/m/a.go|F|x escapes to heap|1');
    assert.equal(keys.get(sameLineLater), '/m/a.go|F|x escapes to heap|2');
  });

  it('keeps a key when lines move, and keeps functions, files and messages apart', () => {
    const before = findingKeys([finding({ function: 'F', pos: { path: './a.go', line: 4 } })]);
    const after = findingKeys([finding({ function: 'F', pos: { path: './a.go', line: 40 } })]);
    assert.deepEqual([...before.values()], [...after.values()]);
    const keys = findingKeys([
      finding({ function: 'F' }), finding({ function: 'G' }), finding({ file: '/m/b.go' }),
      finding({ function: 'F', message: 'moved to heap: x' }),
    ]);
    assert.deepEqual([...keys.values()].sort(), [
      '/m/a.go|F|moved to heap: x|0', '/m/a.go|F|x escapes to heap|0', '/m/a.go|G|x escapes to heap|0', '/m/b.go||x escapes to heap|0',
    ]);
  });
});
