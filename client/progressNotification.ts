// The server's work-done progress (a long analysis, measuring benchmarks) as a cancellable notification.
// vscode-languageclient draws server-initiated progress in the status bar, where it cannot be cancelled;
// this replaces its handler for window/workDoneProgress/create, and the notification's Cancel button
// sends window/workDoneProgress/cancel (the server then ends the go process tree).
import * as vscode from 'vscode';
import {
  WorkDoneProgress, WorkDoneProgressCancelNotification, WorkDoneProgressCreateRequest, type LanguageClient,
  type WorkDoneProgressBegin, type WorkDoneProgressReport,
} from 'vscode-languageclient/node';

/** Call after each start or restart of the client: the client's own progress feature registers anew then. */
export function progressAsNotifications(client: LanguageClient): vscode.Disposable {
  return client.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
    let ended = false;
    let end = (): void => {};
    const finished = new Promise<void>((resolve) => { end = resolve; });
    let progress: vscode.Progress<{ message?: string; increment?: number }> | undefined;
    let shown = 0;
    const report = (v: WorkDoneProgressBegin | WorkDoneProgressReport): void => {
      // VS Code adds increments: report the difference to what is shown.
      const increment = v.percentage !== undefined ? Math.max(0, v.percentage - shown) : undefined;
      if (v.percentage !== undefined) shown = Math.max(shown, v.percentage);
      progress?.report({ message: v.message, increment });
    };
    const listener = client.onProgress(WorkDoneProgress.type, token, (v) => {
      if (v.kind === 'begin') {
        void vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: `Go Escape Lens: ${v.title}`, cancellable: !!v.cancellable },
          (p, cancel) => {
            progress = p;
            report(v);
            cancel.onCancellationRequested(() => {
              if (!ended) void client.sendNotification(WorkDoneProgressCancelNotification.type, { token });
            });
            return finished;
          });
      } else if (v.kind === 'report') {
        report(v);
      } else {
        ended = true;
        listener.dispose();
        end();
      }
    });
  });
}
