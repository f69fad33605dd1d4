/**
 * Differential conformance through kubectl: the same command against a prism resource and its reference,
 * run with the machine's kubectl and with the current release built from Go modules, each output (exit
 * code, stdout, stderr) normalised for the names and compared. kubectl acts on what the server answers
 * (a 404 on apply's GET means "create", a 405 means "cannot"), so this is where a wrong answer shows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectSameKubectl,
  groupVersion,
  kubectls,
  qualifiedResource,
  runKubectl,
  type Subject,
} from './support/conformance.ts';
import { startConformanceWorld, type ConformanceWorld } from './support/conformance-world.ts';

/** A manifest of each create-only kind, named `event`. */
function manifest(subject: Subject, extra: Record<string, unknown> = {}): object {
  const head = { apiVersion: groupVersion(subject), kind: subject.kind, metadata: { name: 'event' } };
  if (subject.kind === 'LifecycleEvent')
    return {
      ...head,
      spec: { type: 'Updated', resource: { apiVersion: 'v1', kind: 'Namespace', name: 'default' } },
      ...extra,
    };
  return { ...head, ...extra };
}

describe('conformance through kubectl', () => {
  let world: ConformanceWorld;
  beforeAll(async () => {
    world = await startConformanceWorld();
  });
  afterAll(() => world?.stop());

  describe('create-only kinds (lifecycleevents ↔ selfsubjectreviews)', () => {
    const both = () => [world.createOnly.prism.subject, world.createOnly.reference.subject] as const;

    it('kubectl apply -f creates, every time', async () => {
      const [prism, reference] = both();
      for (let i = 0; i < 2; i++)
        await expectSameKubectl(prism, reference, (s) => ({
          args: ['apply', '-f', '-'],
          input: manifest(s),
        }));
    });

    it('kubectl create -f creates', async () => {
      const [prism, reference] = both();
      await expectSameKubectl(prism, reference, (s) => ({ args: ['create', '-f', '-'], input: manifest(s) }));
    });

    it('kubectl apply --server-side -f is refused in the same words', async () => {
      const [prism, reference] = both();
      await expectSameKubectl(prism, reference, (s) => ({
        args: ['apply', '--server-side', '-f', '-'],
        input: manifest(s),
      }));
    });

    it('kubectl create --validate=strict refuses unknown fields in the same words', async () => {
      const [prism, reference] = both();
      await expectSameKubectl(prism, reference, (s) => ({
        args: ['create', '--validate=strict', '-f', '-'],
        input: manifest(s, { colour: 'red' }),
      }));
    });

    it.each([['get'], ['delete'], ['describe']])('kubectl %s of one', async (verb) => {
      const [prism, reference] = both();
      await expectSameKubectl(prism, reference, (s) => ({ args: [verb, qualifiedResource(s), 'event'] }));
    });
  });

  describe('read-only kinds (prismapplications ↔ componentstatuses)', () => {
    const namespaced = (s: Subject) => (s.namespace ? ['-n', s.namespace] : []);
    const target = (s: Subject) => [qualifiedResource(s), s.names[0]!, ...namespaced(s)];
    it.each([
      [['label'], ['conformance=yes']],
      [['annotate'], ['conformance=yes']],
      [['patch'], ['--type=merge', '-p', '{"metadata":{"labels":{"a":"b"}}}']],
      [['patch'], ['--type=json', '-p', '[]']],
      [['patch'], ['--type=strategic', '-p', '{}']],
      [['delete'], []],
      [['delete'], ['--dry-run=server']],
    ])('kubectl %s %s', async ([verb], extra) => {
      const { prism, reference } = world.readOnly;
      await expectSameKubectl(prism.subject, reference.subject, (s) => ({
        args: [verb!, ...target(s), ...extra],
      }));
    });

    it('kubectl apply --server-side of an object is refused in the same words', async () => {
      const { prism, reference } = world.readOnly;
      await expectSameKubectl(prism.subject, reference.subject, (s) => ({
        args: ['apply', '--server-side', '-f', '-'],
        input: {
          apiVersion: groupVersion(s),
          kind: s.kind,
          metadata: {
            name: s.names[0],
            ...(s.namespace ? { namespace: s.namespace } : {}),
            labels: { a: 'b' },
          },
        },
      }));
    });
  });

  describe('selectors and paging (prismapplications ↔ applications.app.k8s.io)', () => {
    it.each([
      [['-l', 'num in ()']],
      [['-l', 'num notin ()']],
      [['-l', 'num>3']],
      [['-l', 'num<3,tier']],
      [['-l', 'a in (x']],
      [['-l', 'a=b=c']],
      [['--field-selector', 'metadata.name=app1,']],
      [['--field-selector', 'a=x=y']],
      [['--field-selector', 'spec.x=y']],
      [['--chunk-size=2']],
      [['--chunk-size=2', '-l', 'tier']],
    ])('kubectl get %j -o name', async (args) => {
      const { prism, reference } = world.applications;
      await expectSameKubectl(prism.subject, reference.subject, (s) => ({
        args: ['get', qualifiedResource(s), '-n', s.namespace!, ...args, '-o', 'name'],
      }));
    });

    it('kubectl explain <kind>.metadata lists the same fields', async () => {
      const { prism, reference } = world.applications;
      const results = await Promise.all(
        [prism.subject, reference.subject].map((s) =>
          runKubectl({
            binary: kubectls()[1]!.binary,
            args: ['explain', `${qualifiedResource(s)}.metadata`],
          }),
        ),
      );
      const fields = (out: string) =>
        out
          .split('\n')
          .map((line) => /^ {2}(\w+)\t<([^>]+)>/.exec(line))
          .filter((match) => match !== null)
          .map((match) => `${match[1]}: ${match[2]}`);
      expect(fields(results[0]!.stdout)).toEqual(fields(results[1]!.stdout));
      expect(fields(results[1]!.stdout)).toContain('managedFields: []ManagedFieldsEntry');
    });
  });

  describe('deletion (commands ↔ clusterroles)', () => {
    it('kubectl delete --dry-run=server', async () => {
      const { prism, reference } = world.deletable;
      await expectSameKubectl(prism.subject, reference.subject, (s) => ({
        args: [
          'delete',
          qualifiedResource(s),
          s.names[0]!,
          ...(s.namespace ? ['-n', s.namespace] : []),
          '--dry-run=server',
        ],
      }));
    });

    it('kubectl delete of an object that does not exist', async () => {
      const { prism, reference } = world.deletable;
      await expectSameKubectl(prism.subject, reference.subject, (s) => ({
        args: ['delete', qualifiedResource(s), 'absent-object', ...(s.namespace ? ['-n', s.namespace] : [])],
      }));
    });

    it('kubectl delete deletes', async () => {
      const { prism, reference } = world.deletable;
      for (const [index, which] of kubectls().entries()) {
        const name = `doomed-${world.namespace}-${index}`;
        await world.deletableObjects(name);
        const [p, r] = [prism.subject, reference.subject].map((s) => ({ ...s, names: [...s.names, name] }));
        await expectSameKubectl(
          p!,
          r!,
          (s) => ({
            args: [
              'delete',
              qualifiedResource(s),
              name,
              ...(s.namespace ? ['-n', s.namespace] : []),
              '--wait=false',
            ],
          }),
          [which],
        );
      }
    });
  });
});
