/**
 * The CEL matchConditions that call the Vimana webhooks only when they have something to do: each is
 * true when the mutation (mutate.ts) or the status keeping (status-fields.ts) could change the object, and
 * is built from the same tables, so the two cannot drift apart.
 *
 * A condition that errors calls the webhook under failurePolicy Fail and skips it under Ignore, so every
 * field is guarded with `has()` before it is read, and every doubt answers "call": a skip must be certain.
 */
import type { MatchCondition } from '../../webhook/admission-endpoint.ts';
import { LABELS, LISTS } from './mutate.ts';
import { MAX_LABEL_CHARS, LABEL_VALUE } from './patterns.ts';
import { IN_USE_FINALIZER } from './protection.ts';
import { DERIVED_STATUS_FIELDS } from './status-fields.ts';
import { PRISMGATE_CONDITION } from './status.ts';
import { VIMANA_KINDS, type VimanaKind } from './types.ts';

const quote = (text: string): string => JSON.stringify(text);

/** `has()` of every step of a dotted path under `root`, outermost first: the path can then be read. */
function present(root: string, path: string): string {
  const steps = path.split('.');
  return steps.map((_, index) => `has(${[root, ...steps.slice(0, index + 1)].join('.')})`).join(' && ');
}

const anyOf = (terms: string[]): string => (terms.length ? terms.map((t) => `(${t})`).join(' || ') : 'false');

/** CREATE: the in-use finalizer is missing; for a Domain, an id to generate or a name to take from it. */
function createChanges(): string {
  const finalizerMissing = `!has(object.metadata.finalizers) || !(${quote(IN_USE_FINALIZER)} in object.metadata.finalizers)`;
  const domainIdOrName = [
    "request.kind.kind == 'Domain'",
    `(${present('object', 'spec')} && (!has(object.spec.id) || object.spec.id == '') || ` +
      "(!has(object.metadata.name) || object.metadata.name == '') && has(object.metadata.generateName))",
  ].join(' && ');
  return `request.operation == 'CREATE' && (${finalizerMissing} || ${domainIdOrName})`;
}

/**
 * A list that normalisation would change: an entry that is not plain lower-case ASCII where hostnames are
 * lower-cased (anything beyond ASCII calls, as JavaScript lower-cases more than CEL's lowerAscii), or an
 * entry that is not there exactly once (non-strings included: the webhook then decides).
 */
function listChanges(path: string, lowerCase: boolean): string {
  const list = `object.${path}`;
  const changes = [`!${list}.all(e, ${list}.exists_one(x, x == e))`];
  if (lowerCase)
    changes.unshift(
      `${list}.exists(e, type(e) == string && !e.matches('^[\\\\x00-\\\\x40\\\\x5b-\\\\x7f]*$'))`,
    );
  return `${present('object', path)} && (${changes.join(' || ')})`;
}

/** A label that does not mirror its spec field, where the field holds a valid label value. */
function labelChanges(label: string, field: string): string {
  const value = `object.${field}`;
  const labels = 'object.metadata.labels';
  return [
    present('object', field),
    `type(${value}) == string`,
    `size(${value}) <= ${MAX_LABEL_CHARS}`,
    `${value}.matches(${quote(LABEL_VALUE.source)})`,
    `(!has(${labels}) || !(${quote(label)} in ${labels}) || ${labels}[${quote(label)}] != ${value})`,
  ].join(' && ');
}

function kindChanges(kind: VimanaKind): string {
  return anyOf([
    ...LISTS[kind].map((list) => listChanges(list.path, list.lowerCase !== undefined)),
    ...LABELS[kind].map(([label, field]) => labelChanges(label, field)),
  ]);
}

/** `/mutate/vimana` is called only when mutateVimana would return something other than its input. */
export const MUTATION_CHANGES: MatchCondition = {
  name: 'mutation-changes-the-object',
  expression: anyOf([
    createChanges(),
    ...VIMANA_KINDS.map((kind) => `request.kind.kind == ${quote(kind)} && (${kindChanges(kind)})`),
  ]),
};

/**
 * `/mutate/vimana-status` is called only when a status write leaves out something prismgate holds: a
 * derived field or prismgate's condition the stored status has and the written one does not.
 */
export const STATUS_DROPS_PRISMGATE_FIELDS: MatchCondition = {
  name: 'status-drops-prismgate-fields',
  expression: anyOf(
    VIMANA_KINDS.map((kind) => {
      const dropped = DERIVED_STATUS_FIELDS[kind].map(
        (field) => `${present('oldObject', `status.${field}`)} && !(${present('object', `status.${field}`)})`,
      );
      const condition =
        `${present('oldObject', 'status.conditions')} && ` +
        `oldObject.status.conditions.exists(c, has(c.type) && c.type == ${quote(PRISMGATE_CONDITION)}) && ` +
        `!(${present('object', 'status.conditions')} && ` +
        `object.status.conditions.exists(c, has(c.type) && c.type == ${quote(PRISMGATE_CONDITION)}))`;
      return `request.kind.kind == ${quote(kind)} && (${anyOf([...dropped, condition])})`;
    }),
  ),
};
