/**
 * Applications that contain each other, and membership that moves (kappnav-prism.md §7.1 TestLoop2,
 * TestLoop4, TestChangeSpec), on the real control plane: cycles terminate and their members converge to
 * the worst of their leaves; label and selector changes move components between applications.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { freshNamespace, kubectlOk } from './support/cluster.ts';
import {
  application,
  apply,
  deployment,
  expectApplications,
  setHealth,
  storedStatus,
  withStatusFeature,
  WORKLOAD_KINDS,
  type Health,
} from './support/kappnav.ts';

withStatusFeature();

const APPLICATION_KIND = [{ group: 'apps', kind: 'Application' }];
const selectApps = (...values: string[]) => ({ matchExpressions: [{ key: 'app', operator: 'In', values }] });

/** A leaf application `<name>-app` over one Deployment `<name>-v1`. */
function leafApplication(ns: string, name: string): object[] {
  return [
    application(`${name}-app`, {
      namespace: ns,
      labels: { app: name },
      kinds: WORKLOAD_KINDS,
      selector: { matchLabels: { app: name } },
    }),
    deployment(`${name}-v1`, ns, { app: name }),
  ];
}

const loopApplication = (ns: string, name: string, ...members: string[]) =>
  application(name, {
    namespace: ns,
    labels: { app: name },
    kinds: APPLICATION_KIND,
    selector: selectApps(...members),
  });

async function leavesAre(ns: string, health: Record<string, Health>): Promise<void> {
  await Promise.all(Object.entries(health).map(([name, h]) => setHealth(ns, `${name}-v1`, h)));
}

describe('cycles of applications', () => {
  it('TestLoop2: two applications containing each other converge to the worst of their leaves', async () => {
    const ns = await freshNamespace('kstatus-loop2');
    await apply(
      ...leafApplication(ns, 'details'),
      ...leafApplication(ns, 'ratings'),
      loopApplication(ns, 'loop2a', 'details', 'loop2b'),
      loopApplication(ns, 'loop2b', 'ratings', 'loop2a'),
    );
    const all = (loops: string, details: string, ratings: string) => ({
      'details-app': details,
      'ratings-app': ratings,
      loop2a: loops,
      loop2b: loops,
    });
    await leavesAre(ns, { details: 'Normal', ratings: 'Normal' });
    await expectApplications(ns, all('Normal', 'Normal', 'Normal'));
    expect((await storedStatus('applications', ns, 'loop2a')).flyover).toBe(
      `2 components: 2 Normal; in a cycle with ${ns}/loop2b, which shares its status`,
    );
    await leavesAre(ns, { details: 'Warning' });
    await expectApplications(ns, all('Warning', 'Warning', 'Normal'));
    await leavesAre(ns, { ratings: 'Problem' });
    await expectApplications(ns, all('Problem', 'Warning', 'Problem'));
    await leavesAre(ns, { ratings: 'Warning' });
    await expectApplications(ns, all('Warning', 'Warning', 'Warning'));
    await leavesAre(ns, { details: 'Normal' });
    await expectApplications(ns, all('Warning', 'Normal', 'Warning'));
    await leavesAre(ns, { ratings: 'Normal' });
    await expectApplications(ns, all('Normal', 'Normal', 'Normal'));
  });

  it('TestLoop4: three overlapping cycles of four applications all converge', async () => {
    const ns = await freshNamespace('kstatus-loop4');
    const leaves = ['productpage', 'details', 'ratings', 'reviews'];
    await apply(
      ...leaves.flatMap((name) => leafApplication(ns, name)),
      loopApplication(ns, 'loop4a', 'details', 'loop4b'),
      loopApplication(ns, 'loop4b', 'ratings', 'loop4c'),
      loopApplication(ns, 'loop4c', 'productpage', 'loop4a', 'loop4d'),
      loopApplication(ns, 'loop4d', 'reviews', 'loop4a', 'loop4b'),
    );
    const loops = (value: string) => ({ loop4a: value, loop4b: value, loop4c: value, loop4d: value });
    await leavesAre(ns, Object.fromEntries(leaves.map((name) => [name, 'Normal' as const])));
    await expectApplications(ns, loops('Normal'));
    await leavesAre(ns, { productpage: 'Warning' });
    await expectApplications(ns, { ...loops('Warning'), 'productpage-app': 'Warning' });
    await leavesAre(ns, { reviews: 'Problem' });
    await expectApplications(ns, { ...loops('Problem'), 'reviews-app': 'Problem' });
    await leavesAre(ns, { reviews: 'Normal', productpage: 'Normal' });
    await expectApplications(ns, {
      ...loops('Normal'),
      'reviews-app': 'Normal',
      'productpage-app': 'Normal',
    });
  });
});

describe('TestChangeSpec: label and selector changes move components', () => {
  let ns: string;
  const kinds = [...APPLICATION_KIND, ...WORKLOAD_KINDS];
  const selectorPatch = (selector: object) => JSON.stringify({ spec: { selector } });

  beforeAll(async () => {
    ns = await freshNamespace('kstatus-spec');
    await apply(
      application('a-app', {
        namespace: ns,
        kinds,
        selector: { matchExpressions: [{ key: 'A', operator: 'Exists' }] },
      }),
      application('ab-app', {
        namespace: ns,
        labels: { A: 'true' },
        kinds,
        selector: { matchLabels: { A: 'true' }, matchExpressions: [{ key: 'B', operator: 'Exists' }] },
      }),
      application('c-app', {
        namespace: ns,
        kinds,
        selector: { matchExpressions: [{ key: 'C', operator: 'Exists' }] },
      }),
      deployment('ab-deployment', ns, { A: 'true', B: 'true' }),
      deployment('abc-deployment', ns, { A: 'true', B: 'true', C: 'true' }),
    );
    await setHealth(ns, 'ab-deployment', 'Warning');
    await setHealth(ns, 'abc-deployment', 'Normal');
  });

  it('rolls up what each selector selects', async () => {
    await expectApplications(ns, { 'a-app': 'Warning', 'ab-app': 'Warning', 'c-app': 'Normal' });
  });

  it('takes a component out when its labels change, leaving an empty application Unknown', async () => {
    await kubectlOk(['label', 'deployment', 'abc-deployment', '-n', ns, 'C-']);
    await expectApplications(ns, { 'c-app': 'Unknown' });
    expect((await storedStatus('applications', ns, 'c-app')).flyover).toBe(
      'No components match the selector.',
    );
  });

  it('follows a changed selector', async () => {
    const exists = (key: string) => ({ matchExpressions: [{ key, operator: 'Exists' }] });
    await kubectlOk([
      'patch',
      'application',
      'c-app',
      '-n',
      ns,
      '--type=merge',
      '-p',
      selectorPatch(exists('A')),
    ]);
    await expectApplications(ns, { 'c-app': 'Warning' });
    // A selector that selects nothing: Unknown, and its parent Unknown too once nothing worse is left.
    await kubectlOk([
      'patch',
      'application',
      'ab-app',
      '-n',
      ns,
      '--type=json',
      '-p',
      JSON.stringify([{ op: 'replace', path: '/spec/selector', value: exists('NoKey') }]),
    ]);
    await expectApplications(ns, { 'ab-app': 'Unknown', 'a-app': 'Warning' });
    await setHealth(ns, 'ab-deployment', 'Normal');
    // c-app now selects ab-app too (its label A=true), so it shows the same.
    await expectApplications(ns, { 'ab-app': 'Unknown', 'a-app': 'Unknown', 'c-app': 'Unknown' });
  });
});
