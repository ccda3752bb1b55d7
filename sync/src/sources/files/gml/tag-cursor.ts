/**
 * The reading of `teig-page-scan.ts` gave up: the page holds something that cursor does not read
 * exactly as the generic reader (saxes) does. Never an error for the user: the page is read again
 * by the generic reader, which gives the answer or the error.
 */
export class Declined extends Error {
  constructor(reason: string) {
    super(`declined: ${reason}`);
  }
}

/** One tag as written: `<app:Teig gml:id="…">` → prefix "app", local "Teig", the attributes' text. */
export interface Tag {
  /** As written: "app:Teig". */
  name: string;
  prefix: string;
  local: string;
  closing: boolean;
  selfClosing: boolean;
  /** The text between the name and `>` (or `/>`). */
  attributes: string;
  parsed: Attributes;
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Text with XML's predefined and numeric character references resolved; null for any other entity. */
function unescapeXml(text: string): string | null {
  if (!text.includes('&')) return text;
  let unknown = false;
  const result = text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);|&/g, (all, name: string | undefined) => {
    if (name === undefined) unknown = true;
    else if (name.startsWith('#')) {
      const code = name.startsWith('#x') ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      if (isXmlChar(code)) return String.fromCodePoint(code);
      unknown = true;
    } else if (PREDEFINED[name] !== undefined) return PREDEFINED[name];
    else unknown = true;
    return all;
  });
  return unknown ? null : result;
}

/** A character XML allows (its `Char` production); a reference to another is malformed. */
function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/**
 * Walks an XML document from tag to tag with `indexOf`, never character by character: the text
 * between tags (a teig page is mostly coordinates) is passed over by the engine's string search.
 * It reads the well-formed subset the teig WFS writes: elements, attributes, comments, character
 * references. What it cannot vouch for (CDATA, a DTD, a processing instruction after the prolog, a
 * `>` inside an attribute value, a tag that does not close where it opened) throws Declined.
 */
export class TagCursor {
  at = 0;
  /**
   * Prefixes bound where the cursor is (the reader keeps it); a tag naming another one, unless it
   * declares it itself, is Declined (saxes refuses an unbound prefix). Null: not checked yet.
   */
  bound: Set<string> | null = null;
  constructor(readonly text: string) {}

  /** Skips whitespace and comments; throws Declined on any other text (element content is expected). */
  skipSpace(): void {
    const text = this.text;
    for (;;) {
      const next = text.indexOf('<', this.at);
      const end = next < 0 ? text.length : next;
      if (!onlySpace(text, this.at, end)) throw new Declined('mixed content');
      this.at = end;
      if (next < 0 || !text.startsWith('<!--', next)) return;
      this.skipComment();
    }
  }

  /** Past the comment at the cursor; one saxes would refuse ("--" inside) is Declined. */
  private skipComment(): void {
    const close = this.text.indexOf('-->', this.at + 4);
    if (close < 0) throw new Declined('an unclosed comment');
    const body = this.text.slice(this.at + 4, close);
    if (body.includes('--') || body.endsWith('-')) throw new Declined('a malformed comment');
    this.at = close + 3;
  }

  /** The tag at the cursor (after `skipSpace`); the cursor moves past it. */
  tag(): Tag {
    const text = this.text;
    if (text.charCodeAt(this.at) !== 60 /* < */) throw new Declined('expected a tag');
    const end = text.indexOf('>', this.at);
    if (end < 0) throw new Declined('an unclosed tag');
    const start = this.at + 1;
    this.at = end + 1;
    const first = text.charCodeAt(start);
    if (first === 33 /* ! */ || first === 63 /* ? */) throw new Declined(`<${text.slice(start, start + 9)}`);
    const closing = first === 47; /* / */
    const selfClosing = !closing && text.charCodeAt(end - 1) === 47;
    const from = closing ? start + 1 : start;
    const to = selfClosing ? end - 1 : end;
    let nameEnd = from;
    while (nameEnd < to && text.charCodeAt(nameEnd) > 32) nameEnd += 1;
    const name = text.slice(from, nameEnd);
    const attributes = nameEnd < to ? text.slice(nameEnd, to) : '';
    if (quotesOpen(attributes)) throw new Declined('a ">" inside an attribute value');
    if (closing && !onlySpace(attributes, 0, attributes.length))
      throw new Declined('a closing tag with attributes');
    // A closing tag's name is checked against its opening tag's, which was checked here.
    if (!closing && !isName(name)) throw new Declined('a tag name it does not read');
    const colon = name.indexOf(':');
    const tag: Tag = {
      name,
      prefix: colon < 0 ? '' : name.slice(0, colon),
      local: colon < 0 ? name : name.slice(colon + 1),
      closing,
      selfClosing,
      attributes,
      parsed: closing || onlySpace(attributes, 0, attributes.length) ? NONE : Attributes.parse(attributes),
    };
    if (
      this.bound &&
      tag.parsed !== NONE &&
      !tag.parsed.prefixes().every((p) => this.bound!.has(p) || tag.parsed.namespace(p))
    )
      throw new Declined('an unbound prefix');
    if (this.bound && !closing && !this.bound.has(tag.prefix) && !tag.parsed.namespace(tag.prefix))
      throw new Declined('an unbound prefix');
    return tag;
  }

  /** The next element-content tag: whitespace and comments skipped. */
  nextTag(): Tag {
    this.skipSpace();
    return this.tag();
  }

  /** Expects the closing tag of `open` next (after whitespace and comments). */
  close(open: Tag): void {
    this.skipSpace();
    const text = this.text;
    const at = this.at;
    const nameEnd = at + 2 + open.name.length;
    if (!text.startsWith('</', at) || !text.startsWith(open.name, at + 2))
      throw new Declined(`<${open.local}> does not close where expected`);
    const end = text.indexOf('>', nameEnd);
    if (end < 0 || !onlySpace(text, nameEnd, end))
      throw new Declined(`<${open.local}> does not close where expected`);
    this.at = end + 1;
  }

  /**
   * After an opening tag: the element's text when it holds only text (null when empty, as the
   * generic reader's `valueOf`), or undefined when a child element comes first (the cursor is then
   * left before it). The closing tag is consumed for a text element.
   */
  leafText(open: Tag): string | null | undefined {
    if (open.selfClosing) return null;
    const text = this.text;
    const next = text.indexOf('<', this.at);
    if (next < 0) throw new Declined('a document that ends inside an element');
    if (text.startsWith('</', next)) {
      // XML's end-of-line handling: CR LF and a lone CR are read as LF.
      const raw = text.slice(this.at, next).replace(/\r\n?/g, '\n');
      this.at = next;
      this.close(open);
      const value = unescapeXml(raw);
      if (value === null) throw new Declined('an entity other than the predefined ones');
      const trimmed = value.trim();
      return trimmed === '' ? null : trimmed;
    }
    return undefined;
  }

  /** Passes over the element `open` began, however deep, checking that its tags pair up. */
  skipElement(open: Tag): void {
    if (open.selfClosing) return;
    const names = [open.name];
    while (names.length > 0) {
      const next = this.text.indexOf('<', this.at);
      if (next < 0) throw new Declined('a document that ends inside an element');
      if (unescapeXml(this.text.slice(this.at, next)) === null)
        throw new Declined('an entity other than the predefined ones');
      this.at = next;
      if (this.text.startsWith('<!--', next)) {
        this.skipComment();
        continue;
      }
      const tag = this.tag();
      if (tag.parsed.declares) throw new Declined('a namespace declared inside a feature');
      if (!tag.closing) {
        if (!tag.selfClosing) names.push(tag.name);
      } else if (names.pop() !== tag.name) throw new Declined(`</${tag.local}> closes another element`);
    }
  }
}

/** XML names (one colon at most) seen so far: a page names the same few thousands of times. */
const NAMES = new Set<string>();
// XML 1.0 (fifth edition) NameStartChar and NameChar, the colon apart.
const START =
  'A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D' +
  '\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const PART = `${START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
// eslint-disable-next-line no-misleading-character-class -- XML names allow U+200C and U+200D (ZWNJ, ZWJ) as ranges, not as joiners
const NAME = new RegExp(`^[${START}][${PART}]*(?::[${START}][${PART}]*)?$`, 'u');

function isName(name: string): boolean {
  if (NAMES.has(name)) return true;
  if (!NAME.test(name)) return false;
  if (NAMES.size > 10_000) NAMES.clear();
  NAMES.add(name);
  return true;
}

/** Only XML whitespace between `from` and `to`. */
function onlySpace(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i += 1) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 9 && c !== 13) return false;
  }
  return true;
}

function quotesOpen(inner: string): boolean {
  if (!inner.includes('"') && !inner.includes("'")) return false;
  let quote = 0;
  for (let i = 0; i < inner.length; i += 1) {
    const c = inner.charCodeAt(i);
    if (quote === 0 && (c === 34 || c === 39)) quote = c;
    else if (c === quote) quote = 0;
  }
  return quote !== 0;
}

/**
 * A tag's attributes. `get` answers by local name as the generic reader keys them ("id" for
 * `gml:id`), xmlns declarations apart; `namespace` answers a declared prefix. A value that holds a
 * line break or tab (XML normalises those) or an unknown entity is Declined when asked for.
 */
export class Attributes {
  private constructor(private readonly pairs: Array<[string, string]>) {}

  /** Parsed and checked as saxes checks them: names, quoting, no "<" in a value, no name twice, known entities. */
  static parse(text: string): Attributes {
    const pairs: Array<[string, string]> = [];
    const pattern = /\s+([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/gy;
    let match: RegExpExecArray | null;
    let end = 0;
    while ((match = pattern.exec(text)) !== null) {
      const value = (match[2] ?? match[3])!;
      if (!isName(match[1]!) || value.includes('<') || unescapeXml(value) === null)
        throw new Declined('an attribute it does not read');
      if (pairs.some(([name]) => name === match![1])) throw new Declined('an attribute written twice');
      pairs.push([match[1]!, value]);
      end = pattern.lastIndex;
    }
    if (!onlySpace(text, end, text.length)) throw new Declined('attributes it cannot read');
    return new Attributes(pairs);
  }

  static of(tag: Tag): Attributes {
    return tag.parsed;
  }

  /** Whether the tag declares a namespace. */
  get declares(): boolean {
    return this.pairs.some(([name]) => isDeclaration(name));
  }

  /** Prefixes this tag declares ("" for a default namespace). */
  declaredPrefixes(): string[] {
    return this.pairs
      .filter(([name]) => isDeclaration(name))
      .map(([name]) => localName(name).replace(/^xmlns$/, ''));
  }

  /** Prefixes of the attributes' names (namespace declarations apart). */
  prefixes(): string[] {
    return this.pairs
      .filter(([name]) => !isDeclaration(name) && name.includes(':'))
      .map(([name]) => name.slice(0, name.indexOf(':')));
  }

  get size(): number {
    return this.pairs.length;
  }

  get(local: string): string | undefined {
    const found = this.pairs.filter(([name]) => !isDeclaration(name) && localName(name) === local);
    if (found.length > 1) throw new Declined(`two attributes named ${local}`);
    return found[0] && plain(found[0][1]);
  }

  /** The URI a prefix is declared for on this tag ("" for the default namespace). */
  namespace(prefix: string): string | undefined {
    const name = prefix === '' ? 'xmlns' : `xmlns:${prefix}`;
    const found = this.pairs.find(([qname]) => qname === name);
    return found && plain(found[1]);
  }

  /** Every attribute but namespace declarations has a local name in `allowed`. */
  only(...allowed: string[]): boolean {
    return this.pairs.every(([name]) => isDeclaration(name) || allowed.includes(localName(name)));
  }
}

const NONE = Attributes.parse('');

const isDeclaration = (name: string) => name === 'xmlns' || name.startsWith('xmlns:');
const localName = (name: string) => name.slice(name.indexOf(':') + 1);

function plain(raw: string): string {
  if (/[\t\n\r]/.test(raw)) throw new Declined('an attribute value with a line break or tab');
  const value = unescapeXml(raw);
  if (value === null) throw new Declined('an entity other than the predefined ones');
  return value;
}
