// mocha's spec reporter plus one closing line CI recognises in any language: "tests: N passed, N failed".
const Spec = require('mocha/lib/reporters/spec');

class SpecWithTotals extends Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once('end', () => {
      const s = runner.stats;
      console.log(`tests: ${s.passes} passed, ${s.failures} failed${s.pending ? `, ${s.pending} skipped` : ''}`);
    });
  }
}

module.exports = SpecWithTotals;
