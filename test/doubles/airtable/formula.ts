/**
 * A small evaluator for the filterByFormula expressions a client is likely to send: field
 * references `{Name}`, string and number literals, `= != < > <= >=`, `&`, and the functions
 * OR, AND, NOT, RECORD_ID, BLANK, TRUE, FALSE, LEN, LOWER, UPPER. Anything else is rejected the
 * way Airtable rejects a formula it cannot parse (422 INVALID_FILTER_BY_FORMULA).
 */
export class FormulaError extends Error {}

type Value = string | number | boolean | null | unknown[];
type Node =
  | { kind: 'literal'; value: Value }
  | { kind: 'field'; name: string }
  | { kind: 'call'; name: string; args: Node[] }
  | { kind: 'binary'; op: string; left: Node; right: Node };

interface Token {
  type: 'string' | 'number' | 'field' | 'ident' | 'op' | 'punct';
  value: string;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === "'" || c === '"') {
      let value = '';
      i += 1;
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\' && i + 1 < text.length) i += 1;
        value += text[i];
        i += 1;
      }
      if (text[i] !== c) throw new FormulaError('unterminated string');
      i += 1;
      tokens.push({ type: 'string', value });
    } else if (c === '{') {
      const end = text.indexOf('}', i);
      if (end < 0) throw new FormulaError('unterminated field reference');
      tokens.push({ type: 'field', value: text.slice(i + 1, end) });
      i = end + 1;
    } else if (/[0-9.]/.test(c)) {
      const match = /^[0-9]*\.?[0-9]+/.exec(text.slice(i))!;
      tokens.push({ type: 'number', value: match[0] });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))!;
      tokens.push({ type: 'ident', value: match[0] });
      i += match[0].length;
    } else {
      const two = text.slice(i, i + 2);
      if (['!=', '<=', '>='].includes(two)) {
        tokens.push({ type: 'op', value: two });
        i += 2;
      } else if ('=<>&'.includes(c)) {
        tokens.push({ type: 'op', value: c });
        i += 1;
      } else if ('(),'.includes(c)) {
        tokens.push({ type: 'punct', value: c });
        i += 1;
      } else throw new FormulaError(`unexpected character ${c}`);
    }
  }
  return tokens;
}

export function parseFormula(text: string): Node {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const expect = (value: string) => {
    if (peek()?.value !== value) throw new FormulaError(`expected ${value}`);
    pos += 1;
  };
  const comparison = (): Node => {
    let left = concat();
    while (peek()?.type === 'op' && ['=', '!=', '<', '>', '<=', '>='].includes(peek()!.value)) {
      const op = tokens[pos++]!.value;
      left = { kind: 'binary', op, left, right: concat() };
    }
    return left;
  };
  const concat = (): Node => {
    let left = primary();
    while (peek()?.value === '&') {
      pos += 1;
      left = { kind: 'binary', op: '&', left, right: primary() };
    }
    return left;
  };
  const primary = (): Node => {
    const token = tokens[pos++];
    if (!token) throw new FormulaError('unexpected end of formula');
    if (token.type === 'string') return { kind: 'literal', value: token.value };
    if (token.type === 'number') return { kind: 'literal', value: Number(token.value) };
    if (token.type === 'field') return { kind: 'field', name: token.value };
    if (token.value === '(') {
      const inner = comparison();
      expect(')');
      return inner;
    }
    if (token.type === 'ident') {
      expect('(');
      const args: Node[] = [];
      if (peek()?.value !== ')') {
        args.push(comparison());
        while (peek()?.value === ',') {
          pos += 1;
          args.push(comparison());
        }
      }
      expect(')');
      return { kind: 'call', name: token.value.toUpperCase(), args };
    }
    throw new FormulaError(`unexpected ${token.value}`);
  };
  const node = comparison();
  if (pos !== tokens.length) throw new FormulaError(`unexpected ${tokens[pos]!.value}`);
  return node;
}

export interface FormulaRecord {
  id: string;
  fields: Record<string, unknown>;
}

export function evaluate(node: Node, record: FormulaRecord, knownFields: Set<string>): Value {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'field': {
      if (!knownFields.has(node.name))
        throw new FormulaError(`Unknown field names: ${node.name.toLowerCase()}`);
      const value = record.fields[node.name];
      return value === undefined ? null : (value as Value);
    }
    case 'binary': {
      const left = evaluate(node.left, record, knownFields);
      const right = evaluate(node.right, record, knownFields);
      if (node.op === '&') return `${text(left)}${text(right)}`;
      const [a, b] =
        typeof left === 'number' || typeof right === 'number'
          ? [Number(left ?? 0), Number(right ?? 0)]
          : [text(left), text(right)];
      switch (node.op) {
        case '=':
          return a === b;
        case '!=':
          return a !== b;
        case '<':
          return a < b;
        case '>':
          return a > b;
        case '<=':
          return a <= b;
        default:
          return a >= b;
      }
    }
    case 'call': {
      const args = () => node.args.map((arg) => evaluate(arg, record, knownFields));
      switch (node.name) {
        case 'OR':
          return node.args.some((arg) => truthy(evaluate(arg, record, knownFields)));
        case 'AND':
          return node.args.every((arg) => truthy(evaluate(arg, record, knownFields)));
        case 'NOT':
          return !truthy(args()[0] ?? null);
        case 'RECORD_ID':
          return record.id;
        case 'BLANK':
          return null;
        case 'TRUE':
          return true;
        case 'FALSE':
          return false;
        case 'LEN':
          return text(args()[0] ?? null).length;
        case 'LOWER':
          return text(args()[0] ?? null).toLowerCase();
        case 'UPPER':
          return text(args()[0] ?? null).toUpperCase();
        default:
          throw new FormulaError(`unknown function ${node.name}`);
      }
    }
  }
}

function text(value: Value): string {
  if (value === null) return '';
  if (Array.isArray(value)) return value.map(String).join(', ');
  return String(value);
}

/** Airtable keeps a record unless the formula gives 0, false, "", NaN, [] or an error. */
export function truthy(value: Value): boolean {
  if (value === null || value === false || value === '' || value === 0) return false;
  if (typeof value === 'number' && Number.isNaN(value)) return false;
  if (Array.isArray(value) && value.length === 0) return false;
  return true;
}
