/**
 * A kAppNav status (kappnav-prism.md §4.1): a value such as Normal, Warning, Problem or Unknown (users
 * may add their own), the English flyover text, and optionally the flyover's NLS form for the UI to
 * translate: `["<nls-key>", "arg0", ...]` or a key alone.
 */
import type { JsonValue } from '../../../pkg/json/lenient-json.ts';

export type FlyoverNls = string | JsonValue[];

export interface KappnavStatus {
  value: string;
  flyover: string;
  'flyover.nls'?: FlyoverNls;
}

/** A computed status, with the problem behind it when the status map itself is at fault (log it once). */
export interface StatusOutcome {
  status: KappnavStatus;
  problem?: string;
}
