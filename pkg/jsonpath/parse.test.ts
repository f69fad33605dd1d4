import { describe, expect, it } from 'vitest';
import { MAX_PATH_CHARS, parseJsonPath, parseKappnavPath, splitLastName } from './parse.ts';

describe('parseJsonPath', () => {
  it('accepts the supported grammar', () => {
    for (const text of [
      '$',
      '$.spec.id',
      '$.spec.aliases[*]',
      '$.spec.aliases[0]',
      '$.spec.versionWeights.*~',
      "$.metadata.labels['vimana.host/domain']",
      '$..image',
      '$..[0]',
      '$.spec.containers[?(@.name == "app")].image',
      "$.spec.containers[?(@.name != 'app' && !(@.image == 'x'))]",
      '$.spec.aliases[0:1]',
      '$.spec.aliases[-1:]',
      '$.spec.aliases[0,1]',
    ]) {
      expect(parseJsonPath(text), text).toMatchObject({ ok: true });
    }
    expect(parseJsonPath('@.noneBut', { allowRelative: true })).toMatchObject({ ok: true });
  });

  it('rejects what does not parse, with the position', () => {
    expect(parseJsonPath('$.spec[')).toEqual({
      ok: false,
      problem: 'is not a JSONPath: expected ] at character 8',
    });
    expect(parseJsonPath('spec.id')).toEqual({ ok: false, problem: 'must start with $' });
    expect(parseJsonPath('@.x')).toEqual({ ok: false, problem: 'must start with $' });
    expect(parseJsonPath('$.spec..')).toMatchObject({ ok: false });
    expect(parseJsonPath('$.a~.b')).toMatchObject({
      ok: false,
      problem: expect.stringContaining('~ must end'),
    });
    expect(parseJsonPath('$.a[-1]')).toMatchObject({ ok: false, problem: expect.stringContaining('[-1:]') });
    expect(parseJsonPath("$['a','b']")).toMatchObject({
      ok: false,
      problem: expect.stringContaining('unions'),
    });
    expect(parseJsonPath('$.a[(@.length-1)]')).toMatchObject({ ok: false });
    expect(parseJsonPath('$.a^')).toMatchObject({ ok: false });
  });

  it('rejects filters outside the safe grammar: calls, regex literals, assignments', () => {
    for (const text of ['$.a[?(@.name.match(/(a+)+$/))]', '$.a[?(@.x = 1)]', '$.a[?(@property == 1)]']) {
      expect(parseJsonPath(text), text).toMatchObject({ ok: false });
    }
  });
});

describe('policy paths that jsonpath-plus misread and are now read as written', () => {
  it('accepts a filter on a string that holds a parenthesis', () => {
    expect(parseJsonPath("$.a[?(@.x == '(y)')]")).toMatchObject({ ok: true });
  });

  it('refuses paths beyond its length', () => {
    expect(parseJsonPath(`$${'.a'.repeat(MAX_PATH_CHARS)}`)).toEqual({
      ok: false,
      problem: `is longer than ${MAX_PATH_CHARS} characters`,
    });
  });
});

describe('splitLastName', () => {
  it('answers the parent path and the last name, which reads back as the same parent', () => {
    const parsed = parseJsonPath("$.spec.containers[*]['image-pull']");
    if (!parsed.ok) throw new Error(parsed.problem);
    const split = splitLastName(parsed.path);
    expect(split?.name).toBe('image-pull');
    expect(split?.parent.source).toBe('$["spec"]["containers"][*]');
    expect(parseJsonPath(split!.parent.source)).toMatchObject({
      ok: true,
      path: { segments: split?.parent.segments },
    });
    const descendant = parseJsonPath('$..image');
    expect(descendant.ok && splitLastName(descendant.path)).toBeUndefined();
  });
});

describe("kAppNav's subset (kappnav-prism.md §7.4), as a restricted parse", () => {
  it("reads names in dots and quotes, with any character but . [ ] and '", () => {
    expect(parseKappnavPath("$.metadata.annotations['kappnav.subkind']")).toEqual([
      'metadata',
      'annotations',
      'kappnav.subkind',
    ]);
    expect(parseKappnavPath('$.a-b.c:d.*.~')).toEqual(['a-b', 'c:d', '*', '~']);
  });

  it('is the policy grammar without what kAppNav lacks', () => {
    for (const text of ['$..a', '$.a[*]', '$.a[0]', '$.a["b"]', '$.a[?(@.x)]', '$.a[1:]']) {
      expect(parseJsonPath(text), text).toMatchObject({ ok: true });
      expect(parseKappnavPath(text), text).toBeUndefined();
    }
  });
});
