import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { CommandError } from './command-error.ts';
import { assertCommandJob, COMMAND_JOB_SELECTOR, selectCommands } from './command-list.ts';
import { formatCommandTime, parseCommandTime } from './command-time.ts';

function job(
  name: string,
  options: { user?: string; legacyUser?: string; completed?: string } = {},
): KubeObject {
  return {
    apiVersion: 'batch/v1',
    metadata: {
      name,
      labels: {
        'kappnav-job-type': 'command',
        ...(options.legacyUser ? { 'kappnav-job-user-id': options.legacyUser } : {}),
      },
      ...(options.user ? { annotations: { 'kappnav-job-user-id': options.user } } : {}),
    },
    status: options.completed ? { completionTime: options.completed } : { active: 1 },
  };
}

const jobs = [
  job('running', { user: 'alice' }),
  job('alice-early', { user: 'alice', completed: '2024-01-01T12:00:00Z' }),
  job('alice-late', { user: 'alice', completed: '2024-01-01T12:00:01Z' }),
  job('bob', { user: 'bob', completed: '2024-01-01T13:00:00Z' }),
  job('legacy', { legacyUser: 'alice', completed: '2024-01-01T14:00:00Z' }),
];
const names = (list: KubeObject[]) => list.map((j) => j.metadata?.name);

describe('selectCommands (kappnav-prism.md §5.3)', () => {
  it("keeps the user's Jobs by the annotation, or the legacy label", () => {
    expect(names(selectCommands(jobs, { user: 'alice' }).commands)).toEqual([
      'running',
      'alice-early',
      'alice-late',
      'legacy',
    ]);
    expect(names(selectCommands(jobs, {}).commands)).toHaveLength(5);
    expect(names(selectCommands(jobs, { user: '' }).commands)).toHaveLength(5);
  });

  it('keeps Jobs completed strictly after time, at second precision, and leaves running Jobs out', () => {
    expect(names(selectCommands(jobs, { time: '2024-01-01T12:00:00.000Z' }).commands)).toEqual([
      'alice-late',
      'bob',
      'legacy',
    ]);
    expect(names(selectCommands(jobs, { time: '2024-01-01T12:00:00.999Z' }).commands)).toEqual([
      'alice-late',
      'bob',
      'legacy',
    ]);
    expect(names(selectCommands(jobs, { user: 'alice', time: '2024-01-01T12:00:00' }).commands)).toEqual([
      'alice-late',
      'legacy',
    ]);
  });

  it('adds kind Job, and takes the action-map Job from the unfiltered list when any Job is returned', () => {
    const selection = selectCommands(jobs, { user: 'bob' });
    expect(selection.commands[0]?.kind).toBe('Job');
    expect(selection.actionMapJob?.metadata?.name).toBe('running');
    expect(selection.actionMapJob?.kind).toBe('Job');
    expect(selectCommands(jobs, { user: 'carol' })).toEqual({ commands: [], actionMapJob: undefined });
  });

  it('refuses a time in another format', () => {
    for (const time of ['yesterday', '2024-01-01', '2024-02-30T00:00:00', '2024-01-01T24:00:00']) {
      expect(() => selectCommands(jobs, { time })).toThrow(CommandError);
    }
    expect(() => parseCommandTime('x')).toThrow(
      `Unparseable date: "x". The correct format is yyyy-MM-dd'T'HH:mm:sss`,
    );
  });

  it('lists with the command Job selector', () => {
    expect(COMMAND_JOB_SELECTOR).toBe('kappnav-job-type=command');
  });
});

describe('command time', () => {
  it("formats UTC now as yyyy-MM-dd'T'HH:mm:ss.000Z and reads it back", () => {
    const time = formatCommandTime(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)));
    expect(time).toBe('2024-01-02T03:04:05.000Z');
    expect(parseCommandTime(time)).toBe(Date.UTC(2024, 0, 2, 3, 4, 5) / 1000);
  });
});

describe('assertCommandJob', () => {
  it('refuses to delete a Job that is not a command', () => {
    expect(() => assertCommandJob(job('x'), 'x')).not.toThrow();
    const error = (() => {
      try {
        assertCommandJob({ metadata: { name: 'other' } }, 'other');
      } catch (e) {
        return e as CommandError;
      }
    })();
    expect(error?.message).toBe('Job other is not found in command action.');
    expect([error?.errorClass, error?.seedStatus, error?.legacyPrefix]).toEqual([
      'not-found',
      207,
      'input-error',
    ]);
  });
});
