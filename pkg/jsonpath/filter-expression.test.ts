import { describe, expect, it } from 'vitest';
import { holds, parseFilter } from './filter-expression.ts';
import { WorkMeter } from './work-meter.ts';

const check = (source: string, current: unknown) => holds(parseFilter(source), current, new WorkMeter());

describe('filter expressions', () => {
  it('compares fields of the current node with literals', () => {
    const container = { name: 'app', replicas: 3, ports: [{ port: 80 }], labels: { 'a.b/c': 'x' } };
    expect(check("@.name == 'app'", container)).toBe(true);
    expect(check('@.name === "app"', container)).toBe(true);
    expect(check("@.name != 'app'", container)).toBe(false);
    expect(check('@.replicas > 2 && @.replicas <= 3', container)).toBe(true);
    expect(check('@.ports[0].port == 80', container)).toBe(true);
    expect(check("@.labels['a.b/c'] == 'x'", container)).toBe(true);
    expect(check("!(@.name == 'app') || @.missing", container)).toBe(false);
    expect(check('@', 'scalar')).toBe(true);
  });

  it('treats absent, null and false as not holding, and compares only like types', () => {
    expect(check('@.missing', {})).toBe(false);
    expect(check('@.x', { x: null })).toBe(false);
    expect(check('@.x', { x: 0 })).toBe(true);
    expect(check("@.x < 'b'", { x: 1 })).toBe(false);
    expect(check('@.x == null', {})).toBe(false);
    expect(check('@.x != 1', {})).toBe(true);
  });

  it('parses nothing beyond its grammar', () => {
    for (const source of ['@.name.match(/a/)', '@.x = 1', 'foo', '@.x ==', '(@.x', '@.[0]', 'a + 1']) {
      expect(() => parseFilter(source), source).toThrow();
    }
  });
});
