/**
 * JSON read as Go's encoding/json reads it, for servers that must answer exactly as a Go server does:
 * its scanner's syntax errors word for word (`invalid character 'b' looking for beginning of object key
 * string`, `unexpected end of JSON input`), and the object keys that occur twice, with their paths, for
 * Kubernetes' strict decoding (`duplicate field "metadata"`).
 *
 * The scanner is a state machine over the characters, as Go's is, with an explicit stack: a body nested
 * any depth is scanned without recursion. The value itself is then JSON.parse's (which keeps the last of
 * duplicate keys, as Go does).
 */
import { goQuote } from '../validation/field-errors.ts';

export class GoJsonSyntaxError extends Error {
  override readonly name = 'GoJsonSyntaxError';
}

export interface GoJsonKey {
  /** `metadata.name`, `spec.items[0].name`: Kubernetes' strict-decoding path. */
  path: string;
  /** Position among all keys of the document, in the order they occur. */
  order: number;
}

export interface GoJsonDocument {
  value: unknown;
  /** Second and later occurrences of a key in the same object. */
  duplicates: GoJsonKey[];
  /** The position of each key path's first occurrence (for ordering strict errors as Go reports them). */
  keyOrder: ReadonlyMap<string, number>;
}

/** Go's quoteChar: a byte as its syntax errors show it (a byte above 0x7f as the code point of its value). */
function quoteChar(char: string): string {
  if (char === "'") return "'\\''";
  if (char === '"') return `'"'`;
  return `'${goQuote(char).slice(1, -1)}'`;
}

const isSpace = (char: string) => char === ' ' || char === '\t' || char === '\r' || char === '\n';
const isDigit = (char: string) => char >= '0' && char <= '9';
const isHex = (char: string) => isDigit(char) || (char >= 'a' && char <= 'f') || (char >= 'A' && char <= 'F');

type State =
  | 'beginValue'
  | 'beginValueOrEmpty'
  | 'beginString'
  | 'beginStringOrEmpty'
  | 'endValue'
  | 'endTop'
  | 'inString'
  | 'inStringEsc'
  | 'inStringEscU'
  | 'neg'
  | 'int'
  | 'zero'
  | 'dot'
  | 'dot0'
  | 'e'
  | 'eSign'
  | 'e0'
  | 'literal';

interface Frame {
  kind: 'object' | 'array';
  /** Expecting a key (object) or after one: `key` is reading the key, `value` its value. */
  part: 'key' | 'value';
  path: string;
  keys: Set<string>;
  index: number;
}

const LITERALS: Readonly<Record<string, string>> = { t: 'true', f: 'false', n: 'null' };

/**
 * Scans the bytes of `input` as Go does (each byte a character; keys decoded as UTF-8); throws
 * GoJsonSyntaxError with Go's message; returns the value and the duplicate keys.
 */
export function parseGoJson(input: Buffer | string): GoJsonDocument {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const stack: Frame[] = [];
  const duplicates: GoJsonKey[] = [];
  const keyOrder = new Map<string, number>();
  let state: State = 'beginValue';
  let order = 0;
  let literal = '';
  let literalAt = 0;
  let hexLeft = 0;
  let keyBytes: number[] = [];
  let key = '';
  let readingKey = false;

  const fail = (char: string, context: string): never => {
    throw new GoJsonSyntaxError(`invalid character ${quoteChar(char)} ${context}`);
  };
  const top = () => stack[stack.length - 1];
  const childPath = (frame: Frame | undefined, name: string) =>
    frame === undefined || frame.path === '' ? name : `${frame.path}.${name}`;
  const valuePath = (): string => {
    const frame = top();
    if (!frame) return '';
    return frame.kind === 'array' ? `${frame.path}[${frame.index}]` : childPath(frame, key);
  };
  const open = (kind: Frame['kind']) =>
    stack.push({ kind, part: 'key', path: valuePath(), keys: new Set(), index: 0 });
  const keyRead = () => {
    const frame = top()!;
    const path = childPath(frame, key);
    if (frame.keys.has(key)) duplicates.push({ path, order });
    else {
      frame.keys.add(key);
      if (!keyOrder.has(path)) keyOrder.set(path, order);
    }
    order++;
  };

  /** One character in state `state`; returns the next state. Some states hand the character on. */
  const step = (char: string): State => {
    switch (state) {
      case 'beginValueOrEmpty':
        if (isSpace(char)) return state;
        if (char === ']') return endValueAfterClose();
        return beginValue(char);
      case 'beginValue':
        return beginValue(char);
      case 'beginStringOrEmpty':
        if (isSpace(char)) return state;
        if (char === '}') return endValueAfterClose();
        return beginString(char);
      case 'beginString':
        return beginString(char);
      case 'endValue':
        return endValue(char);
      case 'endTop':
        if (!isSpace(char)) fail(char, 'after top-level value');
        return state;
      case 'inString':
        if (char === '"') {
          if (readingKey) {
            readingKey = false;
            key = Buffer.from(keyBytes).toString('utf8');
            keyRead();
          }
          return 'endValue';
        }
        if (char === '\\') return 'inStringEsc';
        if (char < ' ') fail(char, 'in string literal');
        if (readingKey) keyBytes.push(char.charCodeAt(0));
        return state;
      case 'inStringEsc':
        if ('bfnrt\\/"'.includes(char)) {
          if (readingKey) keyBytes.push(...Buffer.from(JSON.parse(`"\\${char}"`) as string, 'utf8'));
          return 'inString';
        }
        if (char === 'u') {
          hexLeft = 4;
          literal = '';
          return 'inStringEscU';
        }
        return fail(char, 'in string escape code');
      case 'inStringEscU':
        if (!isHex(char)) fail(char, 'in \\u hexadecimal character escape');
        literal += char;
        if (--hexLeft > 0) return state;
        if (readingKey)
          keyBytes.push(...Buffer.from(String.fromCharCode(Number.parseInt(literal, 16)), 'utf8'));
        return 'inString';
      case 'neg':
        if (char === '0') return 'zero';
        if (char >= '1' && char <= '9') return 'int';
        return fail(char, 'in numeric literal');
      case 'int':
        if (isDigit(char)) return state;
        state = 'zero';
        return step(char);
      case 'zero':
        if (char === '.') return 'dot';
        if (char === 'e' || char === 'E') return 'e';
        return endValue(char);
      case 'dot':
        if (isDigit(char)) return 'dot0';
        return fail(char, 'after decimal point in numeric literal');
      case 'dot0':
        if (isDigit(char)) return state;
        if (char === 'e' || char === 'E') return 'e';
        return endValue(char);
      case 'e':
        if (char === '+' || char === '-') return 'eSign';
        state = 'eSign';
        return step(char);
      case 'eSign':
        if (isDigit(char)) return 'e0';
        return fail(char, 'in exponent of numeric literal');
      case 'e0':
        if (isDigit(char)) return state;
        return endValue(char);
      case 'literal': {
        const expected = literal[literalAt]!;
        if (char !== expected) fail(char, `in literal ${literal} (expecting ${quoteChar(expected)})`);
        literalAt++;
        return literalAt === literal.length ? 'endValue' : state;
      }
    }
  };

  const beginValue = (char: string): State => {
    if (isSpace(char)) return 'beginValue';
    switch (char) {
      case '{':
        open('object');
        return 'beginStringOrEmpty';
      case '[':
        open('array');
        return 'beginValueOrEmpty';
      case '"':
        return 'inString';
      case '-':
        return 'neg';
      case '0':
        return 'zero';
    }
    if (char >= '1' && char <= '9') return 'int';
    const word = LITERALS[char];
    if (word) {
      literal = word;
      literalAt = 1;
      return 'literal';
    }
    return fail(char, 'looking for beginning of value');
  };

  const beginString = (char: string): State => {
    if (isSpace(char)) return 'beginString';
    if (char !== '"') fail(char, 'looking for beginning of object key string');
    readingKey = true;
    keyBytes = [];
    top()!.part = 'key';
    return 'inString';
  };

  const endValueAfterClose = (): State => {
    stack.pop();
    return stack.length === 0 ? 'endTop' : 'endValue';
  };

  const endValue = (char: string): State => {
    const frame = top();
    if (!frame) {
      state = 'endTop';
      return step(char);
    }
    if (isSpace(char)) return 'endValue';
    if (frame.kind === 'object' && frame.part === 'key') {
      if (char === ':') {
        frame.part = 'value';
        return 'beginValue';
      }
      return fail(char, 'after object key');
    }
    if (frame.kind === 'object') {
      if (char === ',') return 'beginString';
      if (char === '}') return endValueAfterClose();
      return fail(char, 'after object key:value pair');
    }
    if (char === ',') {
      frame.index++;
      return 'beginValue';
    }
    if (char === ']') return endValueAfterClose();
    return fail(char, 'after array element');
  };

  for (const byte of bytes) state = step(String.fromCharCode(byte));
  // At the end Go feeds one space: a value that needed more says what it expected of it.
  if (state !== 'endTop') {
    state = step(' ');
    if (state !== 'endTop') throw new GoJsonSyntaxError('unexpected end of JSON input');
  }
  return { value: JSON.parse(bytes.toString('utf8')) as unknown, duplicates, keyOrder };
}

/** What a JSON value is called in Go's type errors (`cannot unmarshal array into …`). */
export function goJsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'bool';
    default:
      return 'object';
  }
}
