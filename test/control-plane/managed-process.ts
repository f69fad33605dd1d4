import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SUPERVISE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'supervise.sh');

/**
 * One control-plane process, started through supervise.sh so that it dies with its owner, with its
 * output in a log file that error messages quote from.
 */
export class ManagedProcess {
  exited!: Promise<number | null>;
  private child!: ChildProcess;
  private exitCode: number | null | undefined;

  constructor(
    readonly name: string,
    private readonly binary: string,
    private readonly args: string[],
    readonly logFile: string,
  ) {
    this.spawn();
  }

  private spawn(): void {
    this.exitCode = undefined;
    const out = openSync(this.logFile, 'a');
    // stdin stays an open pipe that we never write to: its end-of-file tells supervise.sh we are gone.
    const child = spawn('sh', [SUPERVISE, this.binary, ...this.args], { stdio: ['pipe', out, out] });
    closeSync(out);
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.exitCode = code ?? (signal ? 128 : null);
        resolve(this.exitCode);
      });
    });
  }

  /** Stops the process and starts it again with the same arguments (fault-injection tests). */
  async restart(downtimeMs = 0): Promise<void> {
    await this.stop();
    if (downtimeMs > 0) await new Promise((resolve) => setTimeout(resolve, downtimeMs));
    this.spawn();
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The last lines of the process's log, for error messages. */
  logTail(lines = 25): string {
    try {
      return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** SIGTERM, then SIGKILL if the process has not exited within `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
    this.child.stdin?.destroy();
  }
}
