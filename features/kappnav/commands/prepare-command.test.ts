import { afterAll, describe, expect, it } from 'vitest';
import { ScriptSandbox } from '../../../pkg/sandbox/script-sandbox.ts';
import type { ActionMap } from '../actions/action-map.ts';
import { PatternError } from '../actions/pattern/language/pattern-error.ts';
import { InMemoryResources } from '../../../test/support/kappnav/in-memory-resources.ts';
import { BUILTIN, loyalty, stockTrader } from '../../../test/support/kappnav/resolution-fixture.ts';
import { InMemoryConfigMaps } from '../../../test/support/kappnav/in-memory-config-maps.ts';
import type { CommandError } from './command-error.ts';
import { prepareCommandJobs, type CommandExecution } from './prepare-command.ts';
import { validateUserInput } from './user-input.ts';

const sandbox = new ScriptSandbox({ workers: 2 });
afterAll(() => sandbox.close());
const services = {
  configMaps: new InMemoryConfigMaps([BUILTIN]),
  resources: new InMemoryResources([], []),
  scripts: sandbox,
  kappnavNamespace: 'kappnav',
};

/** The test/testcmd maps (kappnav-prism.md §7.2), with an input-driven command besides. */
const actionMap: ActionMap = {
  'cmd-actions': [
    {
      name: 'testcmdapp',
      text: 'Test app command',
      image: 'busybox',
      'cmd-pattern': 'sh -c "This is an application command from app navigator!"',
    },
    {
      name: 'trace',
      text: 'Enable Trace',
      image: 'liberty-tools',
      'cmd-pattern':
        'trace --deployment ${resource.$.metadata.name} --spec ${input.spec} --level ${input.level}',
      'requires-input': 'trace',
    },
    {
      name: 'fan',
      image: 'i',
      'cmd-pattern': 'collect path:podName:string ${input.pods}',
      'requires-input': 'pods',
    },
    { name: 'noimage', 'cmd-pattern': 'x' },
    { name: 'nopattern', image: 'i' },
    { name: 'partial', image: 'i', 'cmd-pattern': 'echo ${oops}' },
    { name: 'badinput', image: 'i', 'cmd-pattern': 'x', 'requires-input': 'missing' },
    { name: 'validated', image: 'i', 'cmd-pattern': 'x', 'requires-input': 'validated' },
  ],
  inputs: {
    trace: {
      title: 'Trace specification',
      fields: {
        spec: { label: 'Trace spec', validator: 'check_spec' },
        level: { label: 'Level', optional: 'true', default: 'info' },
        note: { label: 'Note', optional: true },
      },
    },
    pods: { fields: { pods: {} } },
    validated: {
      fields: {
        silent: { validator: 'returns_nothing' },
        garbled: { validator: 'returns_text' },
        shapeless: { validator: 'returns_array' },
        unexplained: { validator: 'invalid_without_message' },
        translated: { validator: 'invalid_with_nls' },
        broken: { validator: 'throws' },
        unknown: { validator: 'no_such_snippet' },
      },
    },
  },
  snippets: {
    check_spec: `function checkSpec(input) {
      var value = JSON.parse(input).value;
      return JSON.stringify(value.indexOf('=') > 0 ? { valid: true } : { valid: false, message: 'expected <package>=<level>' });
    }`,
    returns_nothing: 'function f() {}',
    returns_text: "function f() { return '{ valid: '; }",
    returns_array: 'function f() { return [1]; }',
    invalid_without_message: 'function f() { return { valid: false }; }',
    invalid_with_nls: "function f() { return { valid: 'FALSE', message: 'bad', 'message.nls': 'msg.bad' }; }",
    throws: 'function f() { throw new Error("validator broke"); }',
  },
};

function execution(
  actionName: string,
  body?: string,
  extra: Partial<CommandExecution> = {},
): CommandExecution {
  let n = 0;
  return {
    target: {
      scope: 'component',
      application: { name: 'stock-trader', namespace: 'stock-trader' },
      component: loyalty,
    },
    actionMap,
    actionName,
    body,
    user: 'alice',
    placement: { namespace: 'kappnav', serviceAccountName: 'kappnav-sa' },
    services,
    newUuid: () => `u${++n}`,
    ...extra,
  };
}

async function failure(promise: Promise<unknown>): Promise<CommandError | PatternError> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: CommandError | PatternError) => error,
  );
}

describe('prepareCommandJobs (kappnav-prism.md §5.1)', () => {
  it('builds the testcmd application command', async () => {
    const [job, ...rest] = await prepareCommandJobs(
      execution('testcmdapp', undefined, { target: { scope: 'application', application: stockTrader } }),
    );
    expect(rest).toEqual([]);
    expect(job).toMatchObject({
      metadata: {
        name: 'kappnav-u1',
        namespace: 'kappnav',
        labels: { 'kappnav-job-application-scope': 'true', 'kappnav-job-action-name': 'testcmdapp' },
        annotations: { 'kappnav-job-action-text': 'Test app command', 'kappnav-job-user-id': 'alice' },
      },
      spec: {
        template: {
          spec: {
            containers: [
              {
                image: 'busybox',
                command: ['sh', '-c', 'This is an application command from app navigator!'],
              },
            ],
          },
        },
      },
    });
  });

  it('resolves the cmd-pattern with validated input and defaults', async () => {
    const [job] = await prepareCommandJobs(execution('trace', '{"spec": "com.ibm.*=all"}'));
    expect(
      (job?.['spec'] as { template: { spec: { containers: { command: string[] }[] } } }).template.spec
        .containers[0]?.command,
    ).toEqual(['trace', '--deployment', 'loyalty-level', '--spec', 'com.ibm.*=all', '--level', 'info']);
    expect(job?.metadata?.labels).toMatchObject({
      'kappnav-job-component-sub-kind': 'liberty',
      'kappnav-job-component-name': 'loyalty-level',
    });
  });

  it('creates one Job per pod of a path:podName:string list', async () => {
    const jobs = await prepareCommandJobs(execution('fan', '{"pods": "p1,p2,p3"}'));
    expect(
      jobs.map(
        (job) =>
          (job['spec'] as { template: { spec: { containers: { command: string[] }[] } } }).template.spec
            .containers[0]?.command[2],
      ),
    ).toEqual(['p1', 'p2', 'p3']);
    expect(new Set(jobs.map((job) => job.metadata?.name)).size).toBe(3);
  });

  it.each([
    ['nosuch', undefined, 'action-not-found', 'Command action nosuch is not found in config map.', 207],
    ['noimage', undefined, 'image-missing', 'Image was not specified in the command action.', 207],
    [
      'nopattern',
      undefined,
      'cmd-pattern-missing',
      'cmd-pattern was not specified in the command action.',
      207,
    ],
    [
      'partial',
      undefined,
      'pattern-unresolved',
      'An internal error occurred in the resolution of the command action pattern echo ${oops}: no resolver for ${oops}',
      207,
    ],
    [
      'badinput',
      undefined,
      'input-definition',
      'An error occurred in the resolution of the field definitions for input "missing".',
      207,
    ],
  ])('%s fails: %s', async (name, body, reason, message, seedStatus) => {
    const error = (await failure(prepareCommandJobs(execution(name, body)))) as CommandError;
    expect([error.reason, error.message, error.seedStatus]).toEqual([reason, message, seedStatus]);
  });

  it('reports a cmd-pattern that fails as a pattern error', async () => {
    const map: ActionMap = {
      'cmd-actions': [{ name: 'x', image: 'i', 'cmd-pattern': 'echo ${resource.$.nope}' }],
    };
    const error = await failure(prepareCommandJobs(execution('x', undefined, { actionMap: map })));
    expect(error).toBeInstanceOf(PatternError);
    expect(error.message).toBe('cannot resolve $.nope');
  });
});

describe('substituted values (issue 15, finding 2)', () => {
  const map: ActionMap = {
    'cmd-actions': [
      {
        name: 'echo',
        image: 'i',
        'requires-input': 'message',
        'cmd-pattern': 'echo ${input.msg} "quoted ${var.words} text" ${var.words} a~20b ${input.empty}',
      },
    ],
    inputs: { message: { fields: { msg: {}, empty: { optional: 'true', default: '' } } } },
    variables: { words: 'two words' },
  };
  const command = async (body: string) => {
    const [job] = await prepareCommandJobs(execution('echo', body, { actionMap: map }));
    return (job?.['spec'] as { template: { spec: { containers: { command: string[] }[] } } }).template.spec
      .containers[0]?.command;
  };

  it('keeps every value one argument, whatever spaces and quotes it holds', async () => {
    expect(await command(JSON.stringify({ msg: 'a" "--rm" "-rf /' }))).toEqual([
      'echo',
      'a" "--rm" "-rf /',
      'quoted two words text',
      'two words',
      // A literal escape stays in its argument (the reference decoded it, then split there).
      'a b',
      // A value that resolves to nothing is still its argument: the next one keeps its position.
      '',
    ]);
  });

  it('never turns a value into the fan-out marker', async () => {
    const fan: ActionMap = {
      'cmd-actions': [
        { name: 'm', image: 'i', 'requires-input': 'm', 'cmd-pattern': 'c ${input.a} ${input.b}' },
      ],
      inputs: { m: { fields: { a: {}, b: {} } } },
    };
    const jobs = await prepareCommandJobs(
      execution('m', JSON.stringify({ a: 'path:podName:string', b: 'p1,p2' }), { actionMap: fan }),
    );
    expect(jobs).toHaveLength(1);
  });
});

describe('validateUserInput (kappnav-prism.md §5.2)', () => {
  const action = (name: string) => actionMap['cmd-actions']!.find((a) => a.name === name)!;
  const validate = (
    name: string,
    body?: string,
    translate?: (h: Readonly<Record<string, unknown>>, f: string) => string | undefined,
  ) => validateUserInput({ action: action(name), actionMap, body, services, translate });

  it('ignores the body of an action without requires-input', async () => {
    expect(await validate('testcmdapp', 'not even json')).toEqual({});
  });

  it('keeps supplied primitives as text and applies defaults of optional fields', async () => {
    expect(await validate('trace', '{"spec": "a=b", "note": 42}')).toEqual({
      spec: 'a=b',
      note: '42',
      level: 'info',
    });
  });

  it.each([
    ['{"spec": "a=b", "extra": "x"}', 'The field was specified but was not expected.', 'extra'],
    ['{"spec": {"nested": true}}', 'The field was specified but does not have a primitive value.', 'spec'],
    ['{"spec": null}', 'The field was specified but does not have a primitive value.', 'spec'],
    ['{"level": "debug"}', 'A required field was not specified.', 'spec'],
    ['', 'A required field was not specified.', 'spec'],
    ['{"spec": "nolevel"}', 'The field is invalid. Reason: expected <package>=<level>', 'spec'],
    ['["a"]', 'The inputs ["a"] specified was in the wrong format. It is expected to be a map.', undefined],
  ])('refuses %s: %s', async (body, message, field) => {
    const error = (await failure(validate('trace', body))) as CommandError;
    expect([error.reason, error.message, error.field, error.seedStatus, error.errorClass]).toEqual([
      'input-invalid',
      message,
      field,
      422,
      'invalid',
    ]);
  });

  it('refuses a body that is not JSON as malformed', async () => {
    const error = (await failure(validate('trace', '{"spec": '))) as CommandError;
    expect([error.reason, error.seedStatus, error.errorClass]).toEqual(['input-syntax', 422, 'malformed']);
  });

  it.each([
    ['silent', 'Validation of the field failed due to an internal error.'],
    ['garbled', /^The validation result for the field could not be processed\. Reason: /],
    [
      'shapeless',
      'The validation result for the field could not be processed because it was in the wrong format.',
    ],
    [
      'unexplained',
      'The validation result for the field could not be processed because it was in the wrong format.',
    ],
    ['translated', 'The field is invalid. Reason: bad'],
  ])('reports the validator outcome of %s', async (field, message) => {
    const error = (await failure(validate('validated', JSON.stringify({ [field]: 'v' })))) as CommandError;
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });

  it("translates a validator's message through message.nls", async () => {
    const translate = (holder: Readonly<Record<string, unknown>>, field: string) =>
      `[${String(holder[`${field}.nls`])}]`;
    const error = await failure(validate('validated', '{"translated": "v"}', translate));
    expect(error.message).toBe('The field is invalid. Reason: [msg.bad]');
  });

  it('reports validators that fail or do not exist as pattern errors', async () => {
    expect((await failure(validate('validated', '{"broken": "v"}'))).message).toBe(
      'problem invoking snippet for function=f, Reason=validator broke',
    );
    expect((await failure(validate('validated', '{"unknown": "v"}'))).message).toBe(
      'snippets no_such_snippet is not found.',
    );
    const withoutSnippets: ActionMap = { ...actionMap, snippets: undefined };
    const error = await failure(
      validateUserInput({
        action: action('trace'),
        actionMap: withoutSnippets,
        body: '{"spec": "a=b"}',
        services,
      }),
    );
    expect(error.message).toBe('snippet check_spec is not found in the action config map.');
  });
});
