import { describe, expect, it } from 'vitest';
import { parseListOptions } from './list-options.ts';

describe('list options', () => {
  it('reads every option', () => {
    expect(
      parseListOptions({
        labelSelector: 'app=x',
        fieldSelector: 'metadata.name=y',
        limit: '10',
        continue: 'token',
        timeoutSeconds: '30',
      }),
    ).toMatchObject({
      labelSelector: [{ key: 'app', operator: 'Equals', values: ['x'] }],
      fieldSelector: [{ field: 'metadata.name', operator: '=', value: 'y' }],
      limit: 10,
      continueToken: 'token',
      timeoutSeconds: 30,
    });
    expect(parseListOptions({ watch: '1', allowWatchBookmarks: 'true' })).toMatchObject({
      watch: true,
      allowWatchBookmarks: true,
    });
    expect(parseListOptions({})).toMatchObject({ limit: 0, resourceVersion: '', watch: false });
  });

  it('reads booleans as Go converts query values: false only for 0 and false in any casing', () => {
    for (const value of ['maybe', 'f', '', 'yes', 'T'])
      expect(parseListOptions({ watch: value }).watch).toBe(true);
    for (const value of ['0', 'false', 'FaLsE']) expect(parseListOptions({ watch: value }).watch).toBe(false);
  });

  it('makes a watch from now a watch-list, as kube-apiserver defaults it', () => {
    expect(parseListOptions({ watch: '1' })).toMatchObject({
      sendInitialEvents: true,
      resourceVersionMatch: 'NotOlderThan',
    });
    expect(parseListOptions({ watch: '1', resourceVersion: '5' })).toMatchObject({
      sendInitialEvents: undefined,
      resourceVersionMatch: '',
    });
  });

  // Messages as kube-apiserver words them (checked against it by test/e2e/conformance-reads).
  it.each([
    [{ labelSelector: 'a in (x' }, 400, "unable to parse requirement: found '', expected: ',' or ')'"],
    [{ limit: 'ten' }, 400, 'strconv.ParseInt: parsing "ten": invalid syntax'],
    [{ limit: '' }, 400, 'strconv.ParseInt: parsing "": invalid syntax'],
    [{ timeoutSeconds: '99999999999999999999' }, 400, 'value out of range'],
    [
      { resourceVersionMatch: 'Exact' },
      422,
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
    ],
    [
      { resourceVersionMatch: 'Sometimes', resourceVersion: '1' },
      422,
      'resourceVersionMatch: Unsupported value: "Sometimes": supported values: "Exact", "NotOlderThan", ""',
    ],
    [
      { sendInitialEvents: 'true' },
      422,
      'sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list',
    ],
    [
      { watch: 'true', resourceVersion: '1', resourceVersionMatch: 'NotOlderThan' },
      422,
      'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
    ],
  ])('refuses %j with %i', (query, code, message) => {
    expect(() => parseListOptions(query)).toThrow(
      expect.objectContaining({ code, message: expect.stringContaining(message) }),
    );
  });

  it('names the causes of a 422 as Kubernetes does', () => {
    try {
      parseListOptions({ resourceVersionMatch: 'Exact', resourceVersion: '0' });
      expect.unreachable();
    } catch (error) {
      expect((error as { toStatus(): unknown }).toStatus()).toMatchObject({
        code: 422,
        reason: 'Invalid',
        details: {
          group: 'meta.k8s.io',
          kind: 'ListOptions',
          causes: [
            {
              reason: 'FieldValueForbidden',
              message: 'Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
              field: 'resourceVersionMatch',
            },
          ],
        },
      });
    }
  });

  it('allows the watch-list combination, with or without bookmarks', () => {
    for (const allowWatchBookmarks of ['true', 'false'])
      expect(
        parseListOptions({
          watch: 'true',
          sendInitialEvents: 'true',
          resourceVersionMatch: 'NotOlderThan',
          allowWatchBookmarks,
        }),
      ).toMatchObject({ sendInitialEvents: true });
  });
});
