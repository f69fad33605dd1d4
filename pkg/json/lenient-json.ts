/**
 * A lenient JSON reader, accepting what kAppNav's config maps contain in practice.
 *
 * kAppNav's reference API parses every config-map value with Gson in lenient mode, and real maps depend
 * on it: unquoted keys and values (`{ value: Normal }`), single-quoted strings, raw newlines inside
 * strings (multi-line snippets), `//`, `/* *\/` and `#` comments, `=` or `=>` between name and value,
 * `;` between elements and trailing separators. No JSON5/Hjson library accepts exactly this set (Hjson
 * reads `Normal, flyover: x }` as one quoteless string), so this small recursive-descent reader does.
 */

export class LenientJsonError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} at position ${position}`);
  }
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Characters that end an unquoted literal, as in Gson's JsonReader. */
const LITERAL_END = new Set([...' \t\n\r\f,:;=[]{}#/\\', '"', "'"]);
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

class Reader {
  private pos = 0;
  constructor(private readonly text: string) {}

  parseDocument(): JsonValue {
    const value = this.value();
    this.skipBlank();
    if (this.pos < this.text.length)
      throw this.error(`unexpected ${JSON.stringify(this.text[this.pos])} after the value`);
    return value;
  }

  private error(message: string): LenientJsonError {
    return new LenientJsonError(message, this.pos);
  }

  private skipBlank(): void {
    const text = this.text;
    while (this.pos < text.length) {
      const c = text[this.pos]!;
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') this.pos++;
      else if (c === '#' || (c === '/' && text[this.pos + 1] === '/')) {
        const end = text.indexOf('\n', this.pos);
        this.pos = end < 0 ? text.length : end + 1;
      } else if (c === '/' && text[this.pos + 1] === '*') {
        const end = text.indexOf('*/', this.pos + 2);
        if (end < 0) throw this.error('unterminated comment');
        this.pos = end + 2;
      } else return;
    }
  }

  private value(): JsonValue {
    this.skipBlank();
    const c = this.text[this.pos];
    if (c === undefined) throw this.error('unexpected end of input');
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"' || c === "'") return this.quoted(c);
    return this.literal();
  }

  /** Skips `,` or `;` separators; returns true if it skipped one. */
  private separator(): boolean {
    this.skipBlank();
    const c = this.text[this.pos];
    if (c === ',' || c === ';') {
      this.pos++;
      return true;
    }
    return false;
  }

  private object(): { [key: string]: JsonValue } {
    this.pos++; // {
    const result: { [key: string]: JsonValue } = {};
    for (;;) {
      this.skipBlank();
      if (this.text[this.pos] === '}') {
        this.pos++;
        return result;
      }
      const c = this.text[this.pos];
      const quoted = c === '"' || c === "'";
      const key = quoted ? this.quoted(c) : this.literalText();
      if (!quoted && key === '') throw this.error('expected a member name');
      this.skipBlank();
      if (this.text[this.pos] === ':') this.pos++;
      else if (this.text[this.pos] === '=') this.pos += this.text[this.pos + 1] === '>' ? 2 : 1;
      else throw this.error(`expected ':' after ${JSON.stringify(key)}`);
      // defineProperty, not assignment: a "__proto__" member is data, as with JSON.parse.
      Object.defineProperty(result, key, {
        value: this.value(),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      if (!this.separator()) {
        this.skipBlank();
        if (this.text[this.pos] !== '}') throw this.error("expected ',' or '}'");
      }
    }
  }

  private array(): JsonValue[] {
    this.pos++; // [
    const result: JsonValue[] = [];
    for (;;) {
      this.skipBlank();
      if (this.text[this.pos] === ']') {
        this.pos++;
        return result;
      }
      result.push(this.value());
      if (!this.separator()) {
        this.skipBlank();
        if (this.text[this.pos] !== ']') throw this.error("expected ',' or ']'");
      }
    }
  }

  private quoted(quote: string): string {
    const start = this.pos;
    this.pos++;
    let out = '';
    const text = this.text;
    while (this.pos < text.length) {
      const c = text[this.pos++]!;
      if (c === quote) return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = text[this.pos++];
      switch (e) {
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'u': {
          const hex = text.slice(this.pos, this.pos + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw this.error('invalid \\u escape');
          out += String.fromCharCode(parseInt(hex, 16));
          this.pos += 4;
          break;
        }
        case undefined:
          throw this.error('unterminated string');
        default:
          out += e; // \" \' \\ \/ and, leniently, any other escaped character
      }
    }
    this.pos = start;
    throw this.error('unterminated string');
  }

  private literalText(): string {
    const start = this.pos;
    while (this.pos < this.text.length && !LITERAL_END.has(this.text[this.pos]!)) this.pos++;
    return this.text.slice(start, this.pos);
  }

  private literal(): JsonValue {
    const text = this.literalText();
    if (text === '') throw this.error(`unexpected ${JSON.stringify(this.text[this.pos])}`);
    if (text === 'true') return true;
    if (text === 'false') return false;
    if (text === 'null') return null;
    if (NUMBER.test(text)) return Number(text);
    return text;
  }
}

/** Parses `text` leniently; throws LenientJsonError naming the position of the first problem. */
export function parseLenientJson(text: string): JsonValue {
  return new Reader(text).parseDocument();
}

/**
 * A config-map value as kAppNav reads it: a string is parsed leniently, a value that is already
 * structured (a YAML map written without quotes) is used as it is.
 */
export function readConfigValue(value: unknown): JsonValue {
  return typeof value === 'string' ? parseLenientJson(value) : (value as JsonValue);
}
