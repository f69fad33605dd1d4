import { describe, expect, it } from 'vitest';
import { parseRequestInfo } from './request-info.ts';

describe('parseRequestInfo (as k8s.io/apiserver reads requests)', () => {
  it.each([
    ['GET', '/apis', { isResourceRequest: false, verb: 'get', path: '/apis' }],
    ['GET', '/apis/prism.kappnav.io', { isResourceRequest: false }],
    ['GET', '/apis/prism.kappnav.io/v1', { isResourceRequest: false }],
    ['GET', '/openapi/v3', { isResourceRequest: false }],
    ['GET', '/healthz/ping', { isResourceRequest: false, verb: 'get' }],
    [
      'GET',
      '/apis/prism.kappnav.io/v1/prismapplications',
      {
        isResourceRequest: true,
        verb: 'list',
        apiGroup: 'prism.kappnav.io',
        apiVersion: 'v1',
        resource: 'prismapplications',
        namespace: '',
      },
    ],
    [
      'GET',
      '/apis/prism.kappnav.io/v1/namespaces/shop/prismapplications/trader',
      { verb: 'get', namespace: 'shop', resource: 'prismapplications', name: 'trader', subresource: '' },
    ],
    [
      'GET',
      '/apis/prism.kappnav.io/v1/namespaces/shop/prismapplications?watch=true',
      { verb: 'watch', namespace: 'shop' },
    ],
    ['GET', '/apis/prism.kappnav.io/v1/namespaces/shop/prismapplications?watch=false', { verb: 'list' }],
    ['GET', '/apis/prism.kappnav.io/v1/namespaces/shop/prismapplications?watch=FaLsE', { verb: 'list' }],
    // Only 0 and false are not a watch: kube-apiserver authorizes `watch=f` as a watch.
    ['GET', '/apis/prism.kappnav.io/v1/namespaces/shop/prismapplications?watch=f', { verb: 'watch' }],
    [
      'GET',
      '/apis/prism.kappnav.io/v1/watch/namespaces/shop/prismapplications',
      { verb: 'watch', namespace: 'shop' },
    ],
    [
      'GET',
      '/apis/prism.kappnav.io/v1/prismcomponents?fieldSelector=metadata.name%3Dx',
      { verb: 'list', name: 'x' },
    ],
    ['POST', '/apis/prism.kappnav.io/v1/lifecycleevents', { verb: 'create', resource: 'lifecycleevents' }],
    ['DELETE', '/apis/prism.kappnav.io/v1/namespaces/a/prismapplications', { verb: 'deletecollection' }],
    ['PATCH', '/apis/prism.kappnav.io/v1/namespaces/a/prismapplications/b', { verb: 'patch', name: 'b' }],
    [
      'GET',
      '/apis/prism.kappnav.io/v1/kappnav/api/components/stock-trader',
      {
        verb: 'get',
        resource: 'kappnav',
        name: 'api',
        subresource: 'components',
        parts: ['kappnav', 'api', 'components', 'stock-trader'],
      },
    ],
    [
      'GET',
      '/api/v1/namespaces/shop',
      { apiGroup: '', apiVersion: 'v1', resource: 'namespaces', name: 'shop', namespace: 'shop' },
    ],
  ])('%s %s', (method, url, expected) => {
    expect(parseRequestInfo(method, url)).toMatchObject(expected);
  });

  it('reads paths that look like URLs as paths', () => {
    expect(parseRequestInfo('GET', '//evil.example/x?y=1')).toMatchObject({
      path: '//evil.example/x',
      isResourceRequest: false,
    });
  });

  it('keeps a malformed field selector from naming anything (the handler reports it)', () => {
    expect(parseRequestInfo('GET', '/apis/g/v1/r?fieldSelector=%3D%3D').name).toBe('');
  });
});
