/**
 * How far the objects the operator generates have got (vimana-invariants.md §3.3), judged from their own
 * status as the Gateway API controller writes it. Deployments and Services count once they exist: the
 * operator's Component condition asks no more of them.
 */
import type { GeneratedKind, GeneratedState } from './cluster-view.ts';
import { readPath, readString } from './fields.ts';
import { isRecord } from '../../pkg/json/json-value.ts';

type ConditionStatus = 'True' | 'False' | undefined;

function conditionStatus(conditions: unknown, type: string): ConditionStatus {
  if (!Array.isArray(conditions)) return undefined;
  const found: unknown = conditions.find((condition) => readString(condition, 'type') === type);
  const status = readString(found, 'status');
  return status === 'True' || status === 'False' ? status : undefined;
}

/** A Gateway is accepted once `Accepted` and `Programmed` are True, rejected when either is False. */
function gatewayState(gateway: unknown): GeneratedState {
  const conditions = readPath(gateway, 'status.conditions');
  const verdicts = [conditionStatus(conditions, 'Accepted'), conditionStatus(conditions, 'Programmed')];
  if (verdicts.includes('False')) return 'rejected';
  return verdicts.every((verdict) => verdict === 'True') ? 'accepted' : 'pending';
}

/** A GRPCRoute is accepted once a parent Gateway accepted it, rejected when its parents only refused it. */
function routeState(route: unknown): GeneratedState {
  const parents = readPath(route, 'status.parents');
  const verdicts = (Array.isArray(parents) ? parents : []).map((parent: unknown) =>
    conditionStatus(readPath(parent, 'conditions'), 'Accepted'),
  );
  if (verdicts.includes('True')) return 'accepted';
  return verdicts.includes('False') ? 'rejected' : 'pending';
}

/** The state of a generated object found in a cache; `absent` is for objects not found. */
export function generatedStateOf(kind: GeneratedKind, object: unknown): GeneratedState {
  if (!isRecord(object)) return 'absent';
  if (kind === 'Gateway') return gatewayState(object);
  if (kind === 'GRPCRoute') return routeState(object);
  return 'accepted';
}
