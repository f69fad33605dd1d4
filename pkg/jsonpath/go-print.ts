/**
 * How kubectl prints the values a jsonpath template selects: Go's fmt `%v` for strings, numbers and
 * booleans, and encoding/json for lists and maps (keys sorted, `<`, `>` and `&` escaped for HTML). JSON
 * integers decode as int64 and print as integers; other numbers are float64 and print in Go's shortest
 * form, with an exponent below 1e-4 and from 1e6 on (`1.2345675e+06`).
 */
import { isRecord } from '../json/json-value.ts';
import { JsonPathLimitExceeded } from './work-meter.ts';

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

/** Text written up to a limit of characters: printing a large value stops as soon as it is too large. */
export class BoundedText {
  private readonly parts: string[] = [];
  private length = 0;

  constructor(private readonly limit: number) {}

  write(part: string): void {
    this.length += part.length;
    if (this.length > this.limit) throw new JsonPathLimitExceeded('characters', this.limit);
    this.parts.push(part);
  }

  toString(): string {
    return this.parts.join('');
  }
}

/** encoding/json's Marshal of a decoded JSON value: map keys sorted, HTML characters escaped. */
function writeJson(value: unknown, out: BoundedText): void {
  if (Array.isArray(value)) {
    out.write('[');
    value.forEach((entry, index) => {
      if (index > 0) out.write(',');
      writeJson(entry, out);
    });
    out.write(']');
  } else if (isRecord(value)) {
    out.write('{');
    Object.keys(value)
      .sort()
      .forEach((key, index) => {
        out.write(`${index > 0 ? ',' : ''}${goString(key)}:`);
        writeJson(value[key], out);
      });
    out.write('}');
  } else if (typeof value === 'string') out.write(goString(value));
  else out.write(JSON.stringify(value) ?? 'null');
}

/** Writes what kubectl prints for one selected value. */
export function printValue(value: unknown, out: BoundedText): void {
  if (typeof value === 'string') out.write(value);
  else if (typeof value === 'number') out.write(goNumber(value));
  else if (typeof value === 'boolean') out.write(String(value));
  else if (value === null || value === undefined) out.write('null');
  else writeJson(value, out);
}
