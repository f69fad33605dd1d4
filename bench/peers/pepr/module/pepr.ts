/**
 * The module's entry point, as `pepr init` lays it out: the Pepr runtime with the Vimana capability. The
 * port comes from the benchmark (PEPR_BENCH_PORT), since another Pepr module may hold 3000 on this machine.
 */
import { PeprModule } from 'pepr';
import cfg from './package.json';
import { Vimana } from './vimana';

const module = new PeprModule(cfg, [Vimana], { deferStart: true });
// `pepr build` loads the module only to read its capabilities (PEPR_MODE=build): nothing to serve then.
if (process.env.PEPR_MODE !== 'build') module.start(Number(process.env.PEPR_BENCH_PORT ?? 3000));
