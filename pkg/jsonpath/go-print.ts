/**
 * How kubectl prints the values a jsonpath template selects: Go's fmt `%v` for strings, numbers and
 * booleans, and encoding/json for lists and maps (keys sorted, `<`, `>` and `&` escaped for HTML). JSON
 * integers decode as int64 and print as integers; other numbers are float64 and print in Go's shortest
 * form, with an exponent below 1e-4 and from 1e6 on (`1.2345675e+06`).
 */
import { isRecord } from '../json/json-value.ts';

/** int64's range: JSON integers beyond it decode as float64. */
const INT64_LIMIT = 2 ** 63;

/** fmt's `%v` of a float64: strconv's shortest `%g`, which uses an exponent for exp < -4 or exp >= 6. */
function goFloat(value: number): string {
  const [mantissa = '', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    const digits = Math.abs(exponent) < 10 ? `0${Math.abs(exponent)}` : String(Math.abs(exponent));
    return `${mantissa}e${exponent < 0 ? '-' : '+'}${digits}`;
  }
  return String(value);
}

/** A JSON number as fmt prints the int64 or float64 it decodes to. */
export function goNumber(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < INT64_LIMIT)
    return Object.is(value, -0) ? '0' : String(value);
  return goFloat(value);
}

const HTML_UNSAFE = /[<>&\u2028\u2029]/g;

function goString(text: string): string {
  return JSON.stringify(text).replace(
    HTML_UNSAFE,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** encoding/json's Marshal of a decoded JSON value: map keys sorted, HTML characters escaped. */
export function goJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${goString(key)}:${goJson(value[key])}`).join(',')}}`;
  }
  if (typeof value === 'string') return goString(value);
  return JSON.stringify(value) ?? 'null';
}

/** What kubectl prints for one selected value. */
export function printedValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return goNumber(value);
  if (typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return 'null';
  return goJson(value);
}
