/**
 * Decimal integers read as Go's strconv reads them (ParseInt and ParseUint in base 10, 64 bits), with
 * its error messages, which Kubernetes passes on verbatim (`strconv.ParseInt: parsing "x": invalid
 * syntax`). Kubernetes' resourceVersions are uint64 and its limits int64: both exceed JavaScript's safe
 * integers, so the values are bigints.
 */
import { goQuote } from './field-errors.ts';

export type Parsed = { ok: true; value: bigint } | { ok: false; error: string };

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

function parse(fn: string, text: string, signed: boolean, min: bigint, max: bigint): Parsed {
  const syntax = signed ? /^[+-]?\d+$/ : /^\d+$/;
  const failure = (reason: string): Parsed => ({
    ok: false,
    error: `strconv.${fn}: parsing ${goQuote(text)}: ${reason}`,
  });
  if (!syntax.test(text)) return failure('invalid syntax');
  const value = BigInt(text);
  return value < min || value > max ? failure('value out of range') : { ok: true, value };
}

export const parseInt64 = (text: string): Parsed => parse('ParseInt', text, true, INT64_MIN, INT64_MAX);

export const parseUint64 = (text: string): Parsed => parse('ParseUint', text, false, 0n, UINT64_MAX);
