import { pino } from 'pino';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { deployment } from '../../../../test/support/kappnav/status-fixtures.ts';
import { ScriptSandbox } from '../../../../pkg/sandbox/script-sandbox.ts';
import { MemoryKappnavSource } from '../../../../test/support/kappnav/memory-kappnav-source.ts';
import { memoryRuntime } from '../../../../test/support/kappnav/memory-runtime.ts';
import { kindKey } from '../../cluster/kappnav-source.ts';
import { stockTraderObjects } from '../../../../test/support/prism/stock-trader.ts';
import { PrismModel, type ModelView } from './prism-model.ts';

const sandbox = new ScriptSandbox();
afterAll(() => sandbox.close());

function summary(view: ModelView) {
  return Object.fromEntries(
    view.applications.map((a) => [
      a.application.name,
      {
        status: a.status.value,
        hidden: a.application.hidden,
        components: a.components
          .map(
            (c) =>
              `${c.object.kind}/${c.object.metadata?.namespace}/${c.object.metadata?.name}=${c.status.value}`,
          )
          .sort(),
      },
    ]),
  );
}

describe('PrismModel', () => {
  let source: MemoryKappnavSource;
  let model: PrismModel;
  beforeEach(() => {
    source = new MemoryKappnavSource(stockTraderObjects());
    model = new PrismModel({
      runtime: memoryRuntime(source, sandbox),
      log: pino({ level: 'silent' }),
      settleMs: 5,
      maxDelayMs: 50,
    });
  });

  it('computes every application with its components, statuses and maps', async () => {
    await model.refresh();
    expect(model.ready).toBe(true);
    expect(summary(model.current)).toEqual({
      'stock-trader': {
        status: 'Warning',
        hidden: false,
        components: [
          'Deployment/other/loyalty=Normal',
          'Deployment/shop/portfolio=Warning',
          'Deployment/shop/trader=Normal',
          'Service/shop/trader=Normal',
        ],
      },
      bundle: { status: 'Warning', hidden: false, components: ['Application/shop/stock-trader=Warning'] },
      'hidden-app': {
        status: 'Warning',
        hidden: true,
        components: [
          'Deployment/shop/portfolio=Warning',
          'Deployment/shop/trader=Normal',
          'Service/shop/trader=Normal',
        ],
      },
    });
    const trader = model.current.applications.find((a) => a.application.name === 'stock-trader')!;
    expect(trader.status.flyover).toBe('4 components: 1 Warning, 3 Normal');
    expect(trader.actions.map['url-actions']?.map((a) => a.name)).toContain('edit');
    const deploymentView = trader.components.find((c) => c.object.kind === 'Deployment')!;
    expect(deploymentView.type).toMatchObject({ group: 'apps', resource: 'deployments' });
    expect(deploymentView.status['flyover.nls']).toEqual(['status.flyover.deployment', '2', '2']);
    expect(model.current.namespaces.map((n) => n.metadata?.name)).toEqual(['shop', 'other', 'empty']);
    // The kinds the applications name are followed (Applications have an informer of their own).
    expect(source.componentKinds().map(kindKey).sort()).toEqual(['/Service', 'apps/Deployment']);
  });

  it('recomputes once after a burst of changes', async () => {
    await model.refresh();
    let updates = 0;
    model.onUpdate(() => updates++);
    const done = new Promise<void>((resolve) => model.onUpdate(() => resolve()));
    source.put(
      deployment('portfolio', 'Problem', { namespace: 'shop', labels: { solution: 'stock-trader' } }),
    );
    for (let i = 0; i < 20; i++) source.changed();
    await done;
    expect(updates).toBe(1);
    expect(summary(model.current)['stock-trader']!.status).toBe('Problem');
  });

  it('forgets remembered statuses when the status maps change', async () => {
    await model.refresh();
    const map = source.getConfigMap('kappnav', 'kappnav.status-mapping.service')!;
    source.put({ ...map, data: { exists: '{"value": "Warning", "flyover": "Services are suspicious."}' } });
    source.changed('maps');
    await model.refresh();
    const trader = model.current.applications.find((a) => a.application.name === 'stock-trader')!;
    expect(trader.components.find((c) => c.object.kind === 'Service')!.status).toEqual({
      value: 'Warning',
      flyover: 'Services are suspicious.',
    });
  });

  it('leaves applications outside app-namespaces out', async () => {
    const config = source.getConfigMap('kappnav', 'kappnav-config')!;
    source.put({ ...config, data: { ...config.data, 'app-namespaces': 'other' } });
    await model.refresh();
    expect(model.current.applications).toEqual([]);
  });
});
