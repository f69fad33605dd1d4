/**
 * Runs a measurement in a child process, as a separate client would be: the process under test then
 * keeps its event loop (and a core) to itself, and the measurement is not slowed by its work.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';

/** Forks `module` (which answers one job message with one result message), sends `job`, awaits the result. */
export async function runInChild<J, R>(module: URL, job: J): Promise<R> {
  const child = fork(module, { execArgv: ['--import', 'tsx'] });
  const answer = once(child, 'message') as Promise<[R]>;
  const exited = once(child, 'exit');
  child.send(job as object);
  const [result] = await answer;
  await exited;
  return result;
}

/** The child's side: handles the one job it is sent, answers, and exits. */
export function serveOneJob<J, R>(handle: (job: J) => Promise<R>): void {
  process.once('message', (job: J) => {
    void handle(job).then((result) => process.send?.(result as object, () => process.exit(0)));
  });
}
