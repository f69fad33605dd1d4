import { describe, expect, it } from 'vitest';
import { negotiateDiscovery, negotiateResource, parseAccept } from './media-type.ts';

const KUBECTL_GET =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const AGGREGATOR =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

describe('content negotiation', () => {
  it('orders ranges by q, keeping the client order among equals', () => {
    expect(parseAccept('a/b;q=0.5, c/d, e/f;q=0').map((r) => `${r.type}/${r.subtype}`)).toEqual([
      'c/d',
      'a/b',
    ]);
  });

  it('gives kubectl get a v1 Table', () => {
    expect(negotiateResource(KUBECTL_GET)).toEqual({ as: 'Table', version: 'v1' });
    expect(negotiateResource('application/json;as=Table;v=v1beta1;g=meta.k8s.io')).toEqual({
      as: 'Table',
      version: 'v1beta1',
    });
  });

  it('serves PartialObjectMetadata(List) to metadata clients and skips protobuf', () => {
    expect(
      negotiateResource(
        'application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json',
      ),
    ).toEqual({ as: 'PartialObjectMetadata', version: 'v1' });
  });

  it('answers plain JSON, YAML, or JSON for anything', () => {
    expect(negotiateResource(undefined)).toEqual({ as: 'object', format: 'json' });
    expect(negotiateResource('*/*')).toEqual({ as: 'object', format: 'json' });
    expect(negotiateResource('application/yaml')).toEqual({ as: 'object', format: 'yaml' });
    expect(negotiateResource('application/json;as=Table;v=v2;g=meta.k8s.io, application/json')).toEqual({
      as: 'object',
      format: 'json',
    });
  });

  it('refuses what it cannot produce with 406', () => {
    expect(() => negotiateResource('application/vnd.kubernetes.protobuf')).toThrow(
      expect.objectContaining({ code: 406, reason: 'NotAcceptable' }),
    );
    expect(() => negotiateResource('application/json;as=Table;v=v9;g=meta.k8s.io')).toThrow(
      expect.objectContaining({ code: 406 }),
    );
  });

  it('gives the aggregator aggregated discovery, and never refuses discovery', () => {
    expect(negotiateDiscovery(AGGREGATOR)).toEqual({ aggregated: true, version: 'v2' });
    expect(
      negotiateDiscovery('application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList'),
    ).toEqual({
      aggregated: true,
      version: 'v2beta1',
    });
    expect(negotiateDiscovery('application/json')).toEqual({ aggregated: false });
    expect(negotiateDiscovery('application/vnd.kubernetes.protobuf')).toEqual({ aggregated: false });
  });
});
