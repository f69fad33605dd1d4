import { describe, expect, it } from 'vitest';
import { negotiateDiscovery, negotiateResource, negotiateWatch, parseAccept } from './media-type.ts';

const KUBECTL_GET =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const AGGREGATOR =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

describe('content negotiation', () => {
  it('orders clauses as goautoneg does: by q, a wildcard after a concrete type, else as sent', () => {
    expect(parseAccept('a/b;q=0.5, c/d, */*, e/f;q=0, g/*').map((r) => `${r.type}/${r.subtype}`)).toEqual([
      'c/d',
      'g/*',
      '*/*',
      'a/b',
      'e/f',
    ]);
  });

  it('gives kubectl get a v1 Table, in JSON or YAML', () => {
    expect(negotiateResource(KUBECTL_GET)).toEqual({
      as: 'Table',
      version: 'v1',
      format: 'json',
      pretty: false,
    });
    expect(negotiateResource('application/yaml;as=Table;v=v1beta1;g=meta.k8s.io')).toEqual({
      as: 'Table',
      version: 'v1beta1',
      format: 'yaml',
      pretty: false,
    });
  });

  it('serves PartialObjectMetadata(List) to metadata clients and skips protobuf', () => {
    expect(
      negotiateResource(
        'application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json',
      ),
    ).toEqual({
      as: 'PartialObjectMetadata',
      kind: 'PartialObjectMetadataList',
      version: 'v1',
      format: 'json',
      pretty: false,
    });
  });

  it('answers plain JSON, YAML, JSON for anything, and pretty JSON on pretty=1', () => {
    expect(negotiateResource(undefined)).toEqual({ as: 'object', format: 'json', pretty: false });
    expect(negotiateResource('*/*')).toEqual({ as: 'object', format: 'json', pretty: false });
    expect(negotiateResource('application/json;q=0')).toEqual({
      as: 'object',
      format: 'json',
      pretty: false,
    });
    expect(negotiateResource('application/yaml')).toEqual({ as: 'object', format: 'yaml', pretty: false });
    expect(negotiateResource('application/json;pretty=1')).toEqual({
      as: 'object',
      format: 'json',
      pretty: true,
    });
    expect(negotiateResource('application/json;as=Table;v=v2;g=meta.k8s.io, application/json')).toMatchObject(
      {
        as: 'object',
      },
    );
  });

  it("refuses what it cannot produce with 406, listing what it can in kube-apiserver's words", () => {
    for (const accept of [
      'application/vnd.kubernetes.protobuf',
      'application/json;as=Table;v=v9;g=meta.k8s.io',
    ])
      expect(() => negotiateResource(accept)).toThrow(
        expect.objectContaining({
          code: 406,
          reason: 'NotAcceptable',
          message: 'only the following media types are accepted: application/json, application/yaml',
        }),
      );
    expect(() => negotiateWatch('application/yaml')).toThrow(expect.objectContaining({ code: 406 }));
  });

  it('gives the aggregator aggregated discovery v2, the legacy documents otherwise, as kube-apiserver 1.37', () => {
    expect(negotiateDiscovery(AGGREGATOR)).toEqual({ aggregated: true, version: 'v2' });
    expect(negotiateDiscovery('application/json')).toEqual({ aggregated: false });
    for (const accept of [
      'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList',
      'application/vnd.kubernetes.protobuf',
    ])
      expect(() => negotiateDiscovery(accept)).toThrow(expect.objectContaining({ code: 406 }));
  });
});
