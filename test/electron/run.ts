// npm run test:electron: the same checks as the code-server test, inside a VS Code that
// @vscode/test-electron downloads. Needs network access to VS Code's update servers (a developer
// laptop); on the project's CI machines that download is blocked, and test:e2e runs instead.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

const REPO = path.resolve(__dirname, '..', '..', '..');

(async () => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'gel-electron-'));
  fs.cpSync(path.join(REPO, 'fixtures', 'sample'), ws, { recursive: true });
  try {
    await runTests({
      version: process.env.VSCODE_VERSION ?? 'stable',
      extensionDevelopmentPath: REPO,
      extensionTestsPath: path.join(__dirname, 'suite.js'),
      launchArgs: [ws, '--disable-extensions', '--disable-workspace-trust'],
    });
  } catch (e) {
    console.error(`test:electron failed: ${(e as Error).message}`);
    process.exitCode = 1;
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
})();
