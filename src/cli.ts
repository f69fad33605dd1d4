/**
 * `prismgate <command>`:
 *   serve               run prismgate against the current kubeconfig (what `npm start` does)
 *   test                evaluate policies against manifests offline (see docs/policies.md)
 *   validate            every Vimana rule over a whole set of manifests, for CI (docs/admission.md)
 *   release-finalizers  take prismgate's in-use finalizer off every Vimana object (docs/vimana-operator.md)
 */
const [command, ...args] = process.argv.slice(2);

const commands: Record<string, () => Promise<unknown>> = {
  serve: () => import('./main.ts'),
  test: () => import('../features/policy/cli/test-command.ts').then((m) => m.main()),
  validate: () => import('../features/vimana/validate-command.ts').then((m) => m.main()),
  'release-finalizers': () =>
    import('../features/vimana/release-finalizers-command.ts').then((m) => m.main()),
};

const run = command ? commands[command] : undefined;
if (!run) {
  console.error(`usage: prismgate <${Object.keys(commands).join('|')}> [options]`);
  process.exitCode = 2;
} else {
  process.argv = [process.argv[0]!, process.argv[1]!, ...args];
  await run();
}
