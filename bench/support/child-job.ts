/**
 * Runs a measurement in a child process, as a separate client would be: the process under test then
 * keeps its event loop to itself, and the measurement is not slowed by its work (nor the other way round).
 */
import { fork } from 'node:child_process';

type Answer<R> = { ok: true; result: R } | { ok: false; error: string };

/**
 * Forks `module` (which answers one job message with one result message), sends `job`, awaits the
 * result. A child that fails or exits without answering rejects rather than leaving the run hanging.
 */
export function runInChild<J, R>(module: URL, job: J): Promise<R> {
  const child = fork(module, { execArgv: ['--import', 'tsx'] });
  return new Promise<R>((resolve, reject) => {
    let answer: Answer<R> | undefined;
    child.once('message', (message) => (answer = message as Answer<R>));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (!answer) reject(new Error(`${module.pathname} exited (${code}) without an answer`));
      else if (answer.ok) resolve(answer.result);
      else reject(new Error(`${module.pathname}: ${answer.error}`));
    });
    child.send(job as object);
  });
}

/** The child's side: handles the one job it is sent, answers (with the result or the error), and exits. */
export function serveOneJob<J, R>(handle: (job: J) => Promise<R>): void {
  process.once('message', (job: J) => {
    const reply = (answer: Answer<R>) => process.send?.(answer, () => process.exit(0));
    handle(job).then(
      (result) => reply({ ok: true, result }),
      (error: unknown) =>
        reply({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  });
}
