/**
 * The severity roll-up of kAppNav statuses (kappnav-prism.md §4.4): the first value of
 * `app-status-precedence` that any input has. A missing status (`""`) counts as `status-unknown`; values
 * outside the precedence list (a typo, a value the configuration dropped) are ignored; with nothing left
 * the result is `status-unknown`, as for an application without components.
 */
import type { KappnavConfig } from '../model/config.ts';

export type RollUpConfig = Pick<KappnavConfig, 'statusPrecedence' | 'statusUnknown'>;

export function rollUpStatus(values: Iterable<string>, config: RollUpConfig): string {
  const seen = new Set<string>();
  for (const value of values) seen.add(value === '' ? config.statusUnknown : value);
  return config.statusPrecedence.find((value) => seen.has(value)) ?? config.statusUnknown;
}
