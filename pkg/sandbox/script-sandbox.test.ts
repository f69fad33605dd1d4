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

describe('ScriptSandbox bounds', () => {
  it('ends a script whose single allocation outgrows the budget, never the process (nodejs/node#47224)', async () => {
    // In a worker thread this aborted the whole process: "FATAL ERROR: Reached heap limit".
    const result = await sandbox.call({
      source: 'function f() { return String("x".repeat(1e8).split("").length); }',
      functionName: 'f',
      args: [],
      timeoutMs: 20_000,
    });
    expect(result).toEqual({ ok: false, error: 'the script exceeded the memory budget of 32 MB' });
    expect(
      await sandbox.call({ source: 'function g() { return "alive"; }', functionName: 'g', args: [] }),
    ).toEqual({ ok: true, value: 'alive' });
  });

  it('gives scripts no memory outside the heap: no ArrayBuffer, typed arrays or WebAssembly', async () => {
    const probe = await sandbox.call({
      source:
        'function f() { return [typeof ArrayBuffer, typeof SharedArrayBuffer, typeof Uint8Array, typeof DataView, typeof WebAssembly, typeof Atomics].join(); }',
      functionName: 'f',
      args: [],
    });
    expect(probe).toEqual({ ok: true, value: 'undefined,undefined,undefined,undefined,undefined,undefined' });
    // 1.5 GB outside any heap limit was allocated and filled before.
    const allocation = await sandbox.call({
      source: 'function f() { return String(new ArrayBuffer(1.5e9).byteLength); }',
      functionName: 'f',
      args: [],
    });
    expect(allocation).toEqual({ ok: false, error: 'ArrayBuffer is not defined' });
  });

  it('refuses a result beyond its size bound, inside the worker: the main heap never holds it', async () => {
    const bounded = new ScriptSandbox({ workers: 1, maxResultChars: 65_536 });
    try {
      const heapBefore = process.memoryUsage().heapUsed;
      const result = await bounded.call({
        source: 'function f() { return "x".repeat(120e6); }',
        functionName: 'f',
        args: [],
        timeoutMs: 10_000,
      });
      const grown = process.memoryUsage().heapUsed - heapBefore;
      expect(result).toEqual({
        ok: false,
        error: 'the script returned 120000000 characters; at most 65536 are allowed',
      });
      // The 120 MB string would have grown the heap by at least 114 MiB.
      expect(grown).toBeLessThan(32 * 2 ** 20);
      const fits = await bounded.call({
        source: 'function f() { return "y".repeat(65536); }',
        functionName: 'f',
        args: [],
      });
      expect(fits.ok && fits.value?.length).toBe(65_536);
    } finally {
      await bounded.close();
    }
  });

  const spin = (ms: number) =>
    `function f() { const end = Date.now() + ${ms}; while (Date.now() < end) {} return "done"; }`;

  it('runs status algorithms on workers of their own, however many snippets wait', async () => {
    const lanes = new ScriptSandbox({ workers: 1, lanes: { snippets: { maxQueuedPerCaller: 50 } } });
    try {
      const status = (value: string) =>
        lanes.call({
          source: `function getStatus() { return { value: "${value}" }; }`,
          functionName: 'getStatus',
          args: [],
          lane: 'status',
        });
      // Both lanes' workers started, so that what follows compares queues, not start-up times.
      await Promise.all([status('Warm'), lanes.call({ source: spin(1), functionName: 'f', args: [] })]);
      let snippetsDone = 0;
      const snippets = Array.from({ length: 20 }, () =>
        lanes.call({ source: spin(100), functionName: 'f', args: [], caller: 'tenant' }).then((r) => {
          snippetsDone += 1;
          return r;
        }),
      );
      expect(await status('Normal')).toEqual({ ok: true, value: '{"value":"Normal"}' });
      // Served while the snippets still queue: one snippet worker works through them one at a time.
      expect(snippetsDone).toBeLessThan(10);
      expect((await Promise.all(snippets)).every((r) => r.ok)).toBe(true);
    } finally {
      await lanes.close();
    }
  });

  it('serves callers of the snippet lane in turn, not in arrival order', async () => {
    const fair = new ScriptSandbox({ workers: 1 });
    try {
      const finished: string[] = [];
      const call = (caller: string, i: number) =>
        fair
          .call({ source: spin(20), functionName: 'f', args: [], caller })
          .then(() => finished.push(`${caller}${i}`));
      const calls = [...Array.from({ length: 6 }, (_, i) => call('a', i)), call('b', 0), call('b', 1)];
      await Promise.all(calls);
      // a0 was running when b arrived; b's calls then alternate with a's instead of waiting for all six.
      expect(finished.indexOf('b1')).toBeLessThan(finished.indexOf('a4'));
    } finally {
      await fair.close();
    }
  });

  it('refuses calls beyond its queue bounds at once, saying so', async () => {
    const small = new ScriptSandbox({
      workers: 1,
      lanes: { snippets: { maxQueued: 4, maxQueuedPerCaller: 2 } },
    });
    try {
      const calls = (caller: string, n: number) =>
        Array.from({ length: n }, () =>
          small.call({ source: spin(100), functionName: 'f', args: [], caller }),
        );
      // One runs, two wait; the fourth call of the same caller is refused.
      const first = calls('a', 4);
      expect(await first[3]).toEqual({
        ok: false,
        error:
          'the script sandbox is busy: a has 2 snippet calls waiting already (at most 2); try again shortly',
      });
      const others = [...calls('b', 2), ...calls('c', 1)];
      expect(await others[2]).toEqual({
        ok: false,
        error: 'the script sandbox is busy: 4 snippet calls are waiting (at most 4); try again shortly',
      });
      expect((await Promise.all([...first.slice(0, 3), ...others.slice(0, 2)])).every((r) => r.ok)).toBe(
        true,
      );
    } finally {
      await small.close();
    }
  });
});
