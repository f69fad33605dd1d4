import { describe, expect, it } from 'vitest';
import { generatedStateOf } from './generated-state.ts';

const conditions = (entries: Record<string, string>) =>
  Object.entries(entries).map(([type, status]) => ({ type, status }));

describe('generatedStateOf', () => {
  it('judges a Gateway by Accepted and Programmed', () => {
    const gateway = (entries: Record<string, string>) => ({ status: { conditions: conditions(entries) } });
    expect(generatedStateOf('Gateway', gateway({ Accepted: 'True', Programmed: 'True' }))).toBe('accepted');
    expect(generatedStateOf('Gateway', gateway({ Accepted: 'True' }))).toBe('pending');
    expect(generatedStateOf('Gateway', gateway({ Accepted: 'True', Programmed: 'False' }))).toBe('rejected');
    expect(generatedStateOf('Gateway', {})).toBe('pending');
  });

  it('judges a GRPCRoute by what its parents say', () => {
    const route = (...accepted: string[]) => ({
      status: { parents: accepted.map((status) => ({ conditions: conditions({ Accepted: status }) })) },
    });
    expect(generatedStateOf('GRPCRoute', route('False', 'True'))).toBe('accepted');
    expect(generatedStateOf('GRPCRoute', route('False'))).toBe('rejected');
    expect(generatedStateOf('GRPCRoute', route())).toBe('pending');
    expect(generatedStateOf('GRPCRoute', { status: { parents: 'odd' } })).toBe('pending');
  });

  it('counts Deployments and Services once they exist', () => {
    expect(generatedStateOf('Deployment', { metadata: { name: 'd-1' } })).toBe('accepted');
    expect(generatedStateOf('Service', undefined)).toBe('absent');
  });
});
