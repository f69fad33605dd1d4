import { afterAll, describe, expect, it } from 'vitest';
import { ScriptSandbox } from './script-sandbox.ts';

const sandbox = new ScriptSandbox({ workers: 2, memoryMb: 32, timeoutMs: 500 });
afterAll(() => sandbox.close());

describe('ScriptSandbox', () => {
  it('calls the named function with string arguments and returns its result as text', async () => {
    const result = await sandbox.call({
      source: 'function join(a, b) { return a + "/" + b + "/" + typeof a; }',
      functionName: 'join',
      args: ['x', '1'],
    });
    expect(result).toEqual({ ok: true, value: 'x/1/string' });
  });

  it('returns objects as JSON and null for a missing result', async () => {
    const status = await sandbox.call({
      source:
        'function getStatus(s) { const st = JSON.parse(s); return { value: st.ready ? "Normal" : "Warning" }; }',
      functionName: 'getStatus',
      args: [JSON.stringify({ ready: true })],
    });
    expect(status).toEqual({ ok: true, value: '{"value":"Normal"}' });
    expect(await sandbox.call({ source: 'function f() {}', functionName: 'f', args: [] })).toEqual({
      ok: true,
      value: null,
    });
  });

  it('stops a runaway loop within its time budget and keeps serving', async () => {
    const started = Date.now();
    const result = await sandbox.call({
      source: 'function f() { for (;;) {} }',
      functionName: 'f',
      args: [],
      timeoutMs: 200,
    });
    expect(result).toEqual({ ok: false, error: 'timed out after 200 ms' });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await sandbox.call({ source: 'function g() { return 7; }', functionName: 'g', args: [] })).toEqual(
      { ok: true, value: '7' },
    );
  });

  it('stops a promise loop too', async () => {
    const result = await sandbox.call({
      source: 'function f() { const spin = () => Promise.resolve().then(spin); spin(); return "x"; }',
      functionName: 'f',
      args: [],
      timeoutMs: 200,
    });
    expect(result.ok).toBe(false);
  });

  it('stops unbounded allocation at the memory budget, then replaces the worker', async () => {
    const result = await sandbox.call({
      source: 'function f() { const a = []; for (;;) a.push(new Array(1e5).fill(a.length)); }',
      functionName: 'f',
      args: [],
      timeoutMs: 20_000,
    });
    expect(result).toEqual({ ok: false, error: 'the script exceeded the memory budget of 32 MB' });
    expect(
      await sandbox.call({ source: 'function g() { return "alive"; }', functionName: 'g', args: [] }),
    ).toEqual({ ok: true, value: 'alive' });
  });

  it('reports a thrown error with its message', async () => {
    const result = await sandbox.call({
      source: 'function f() { throw new Error("boom"); }',
      functionName: 'f',
      args: [],
    });
    expect(result).toEqual({ ok: false, error: 'boom' });
  });

  it('gives scripts no way to reach the process, modules, timers or code generation', async () => {
    const probes = {
      process: 'function f() { return typeof process; }',
      require: 'function f() { return typeof require; }',
      timers: 'function f() { return typeof setTimeout + typeof fetch; }',
      constructorEscape: 'function f() { return this.constructor.constructor("return process")(); }',
      evalEscape: 'function f() { return eval("1+1"); }',
    };
    expect(await sandbox.call({ source: probes.process, functionName: 'f', args: [] })).toEqual({
      ok: true,
      value: 'undefined',
    });
    expect(await sandbox.call({ source: probes.require, functionName: 'f', args: [] })).toEqual({
      ok: true,
      value: 'undefined',
    });
    expect(await sandbox.call({ source: probes.timers, functionName: 'f', args: [] })).toEqual({
      ok: true,
      value: 'undefinedundefined',
    });
    const escape = await sandbox.call({ source: probes.constructorEscape, functionName: 'f', args: [] });
    expect(escape.ok).toBe(false);
    const evaluated = await sandbox.call({ source: probes.evalEscape, functionName: 'f', args: [] });
    expect(evaluated).toMatchObject({
      ok: false,
      error: expect.stringContaining('Code generation from strings disallowed'),
    });
  });

  it('refuses a function name that is not an identifier', async () => {
    const result = await sandbox.call({ source: '', functionName: 'f(); process.exit()', args: [] });
    expect(result).toEqual({ ok: false, error: '"f(); process.exit()" is not a function name' });
  });

  it('runs calls concurrently across workers and queues the rest', async () => {
    const calls = Array.from({ length: 10 }, (_, i) =>
      sandbox.call({
        source: 'function f(x) { return Number(x) * 2; }',
        functionName: 'f',
        args: [String(i)],
      }),
    );
    expect((await Promise.all(calls)).map((r) => (r.ok ? r.value : r.error))).toEqual(
      Array.from({ length: 10 }, (_, i) => String(i * 2)),
    );
  });
});
