import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GO_MODULES, kubernetesVersion } from './binaries.ts';

const goMod = (dir: string) => readFileSync(path.join(dir, 'go.mod'), 'utf8');
const replaceBlock = (text: string) => /^replace \(\n([\s\S]*?)\n\)/m.exec(text)?.[1]?.trim();

describe('the Go modules of the control plane and of kubectl', () => {
  it('pin the same Kubernetes release, with the same staging replacements', () => {
    const controlPlane = goMod(GO_MODULES.controlPlane);
    const kubectl = goMod(GO_MODULES.kubectl);
    expect(kubernetesVersion(kubectl)).toBe(kubernetesVersion(controlPlane));
    expect(replaceBlock(kubectl)).toBeTruthy();
    expect(replaceBlock(kubectl)).toBe(replaceBlock(controlPlane));
    expect(kubectl).toMatch(/^tool k8s\.io\/kubernetes\/cmd\/kubectl$/m);
  });
});
