import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BuildCommandError, buildOnce, runBuildCommand } from './build-cache.ts';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'prismgate-build-cache-test-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const complete = (dir: string) => existsSync(path.join(dir, 'binary'));

describe('buildOnce', () => {
  it('moves what the build wrote into place, and builds nothing when the entry is complete', async () => {
    const dir = path.join(root, 'peers', 'tool-v1-abc');
    let builds = 0;
    const build = async (staging: string) => {
      builds += 1;
      writeFileSync(path.join(staging, 'binary'), `build ${builds}`);
    };
    await buildOnce(dir, complete, build);
    await buildOnce(dir, complete, build);
    expect(builds).toBe(1);
    expect(readFileSync(path.join(dir, 'binary'), 'utf8')).toBe('build 1');
    expect(readdirSync(path.dirname(dir))).toEqual(['tool-v1-abc']);
  });

  it('leaves neither the entry nor its staging folder behind when the build fails', async () => {
    const dir = path.join(root, 'tool-v1-abc');
    await expect(
      buildOnce(dir, complete, async (staging) => {
        writeFileSync(path.join(staging, 'half-written'), '');
        throw new Error('compiler crashed');
      }),
    ).rejects.toThrow('compiler crashed');
    expect(readdirSync(root)).toEqual([]);
  });

  it('replaces an incomplete entry (an interrupted build of an older harness)', async () => {
    const dir = path.join(root, 'tool-v1-abc');
    await buildOnce(
      dir,
      () => false,
      async (staging) => writeFileSync(path.join(staging, 'leftover'), ''),
    );
    await buildOnce(dir, complete, async (staging) => writeFileSync(path.join(staging, 'binary'), 'ok'));
    expect(readdirSync(dir)).toEqual(['binary']);
  });
});

describe('runBuildCommand', () => {
  it('fails with the command, its exit code and its last lines of output', async () => {
    const error = await runBuildCommand({
      command: process.execPath,
      args: ['-e', 'console.log("step 1"); console.error("error: missing go.sum entry"); process.exit(3)'],
      cwd: root,
      log: () => {},
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildCommandError);
    expect((error as BuildCommandError).message).toContain('(exit 3)');
    expect((error as BuildCommandError).tail).toEqual(
      expect.arrayContaining(['step 1', 'error: missing go.sum entry']),
    );
  });

  it('hands every line of output to onLine', async () => {
    const lines: string[] = [];
    await runBuildCommand({
      command: process.execPath,
      args: ['-e', 'console.log("k8s.io/api/core/v1\\nk8s.io/apiserver")'],
      cwd: root,
      log: () => {},
      onLine: (line) => lines.push(line),
    });
    expect(lines).toEqual(['k8s.io/api/core/v1', 'k8s.io/apiserver']);
  });
});
