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
        watch: '1',
        allowWatchBookmarks: 'true',
        timeoutSeconds: '30',
        includeObject: 'Object',
      }),
    ).toMatchObject({
      labelSelector: [{ key: 'app', operator: 'Equals', values: ['x'] }],
      fieldSelector: [{ field: 'metadata.name', operator: '=', value: 'y' }],
      limit: 10,
      continueToken: 'token',
      watch: true,
      allowWatchBookmarks: true,
      timeoutSeconds: 30,
      includeObject: 'Object',
    });
    expect(parseListOptions({})).toMatchObject({
      limit: 0,
      resourceVersion: '',
      watch: false,
      includeObject: 'Metadata',
    });
  });

  it.each([
    [{ labelSelector: 'a in (x' }, 400, 'invalid label selector "a in (x": expected "," or ")"'],
    [{ limit: 'ten' }, 400, 'limit: invalid value "ten"'],
    [{ resourceVersion: 'abc' }, 400, 'resourceVersion: invalid value "abc"'],
    [{ watch: 'maybe' }, 400, 'watch: invalid value "maybe"'],
    [{ includeObject: 'Everything' }, 400, 'includeObject: unsupported value'],
    [
      { resourceVersionMatch: 'Exact' },
      422,
      'resourceVersionMatch is forbidden unless resourceVersion is provided',
    ],
    [{ resourceVersionMatch: 'Sometimes', resourceVersion: '1' }, 422, 'Unsupported value: "Sometimes"'],
    [
      { continue: 'x', resourceVersion: '5' },
      422,
      'specifying resource version is not allowed when using continue',
    ],
    [{ sendInitialEvents: 'true' }, 422, 'sendInitialEvents is forbidden for list'],
    [
      { watch: 'true', sendInitialEvents: 'true', resourceVersionMatch: 'NotOlderThan' },
      422,
      'requires allowWatchBookmarks',
    ],
  ])('refuses %j with %i', (query, code, message) => {
    expect(() => parseListOptions(query)).toThrow(
      expect.objectContaining({ code, message: expect.stringContaining(message) }),
    );
  });

  it('allows the watch-list combination without a resourceVersion', () => {
    expect(
      parseListOptions({
        watch: 'true',
        sendInitialEvents: 'true',
        resourceVersionMatch: 'NotOlderThan',
        allowWatchBookmarks: 'true',
      }),
    ).toMatchObject({ sendInitialEvents: true });
  });
});
