#!/usr/bin/env node
// The `prismgate` command (`npx prismgate …`). prismgate runs its TypeScript sources through tsx,
// registered here so the command works from a plain checkout without a build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
