import { SaxesParser } from 'saxes';

export const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

/** A parsed element with namespaces resolved, so code never depends on the server's prefixes. */
export interface XmlElement {
  ns: string;
  local: string;
  /** Attributes by local name (namespaced ones as `{uri}local`). */
  attrs: Record<string, string>;
  /** `xsi:type` resolved to its namespace and local name, when present. */
  xsiType: { ns: string; local: string } | null;
  children: XmlElement[];
  text: string;
}

export class XmlSyntaxError extends Error {
  override readonly name = 'XmlSyntaxError';
}

/** Parses a whole document with namespace processing; throws XmlSyntaxError on malformed input. */
export function parseXml(text: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true, position: false });
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  parser.on('opentag', (tag) => {
    const attrs: Record<string, string> = {};
    let xsiType: XmlElement['xsiType'] = null;
    for (const attr of Object.values(tag.attributes)) {
      attrs[attr.uri && attr.uri !== XSI ? `{${attr.uri}}${attr.local}` : attr.local] = attr.value;
      if (attr.uri === XSI && attr.local === 'type') {
        const [prefix, local] = attr.value.includes(':') ? attr.value.split(':', 2) : ['', attr.value];
        xsiType = { ns: parser.resolve(prefix!) ?? '', local: local! };
      }
    }
    const element: XmlElement = {
      ns: tag.uri ?? '',
      local: tag.local ?? tag.name,
      attrs,
      xsiType,
      children: [],
      text: '',
    };
    stack.at(-1)?.children.push(element);
    stack.push(element);
    root ??= element;
  });
  const addText = (value: string) => {
    const current = stack.at(-1);
    if (current) current.text += value;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('closetag', () => {
    const element = stack.pop();
    if (element) element.text = element.text.trim();
  });
  try {
    parser.write(text).close();
  } catch (error) {
    throw new XmlSyntaxError((error as Error).message);
  }
  if (!root) throw new XmlSyntaxError('no root element');
  return root;
}

/** The first child with this local name (and namespace, when given). */
export function child(element: XmlElement | null | undefined, local: string, ns?: string): XmlElement | null {
  return element?.children.find((c) => c.local === local && (ns === undefined || c.ns === ns)) ?? null;
}

export function children(element: XmlElement | null | undefined, local: string): XmlElement[] {
  return element?.children.filter((c) => c.local === local) ?? [];
}

/** Follows a path of local names: `at(el, 'andel', 'teller')`. */
export function at(element: XmlElement | null | undefined, ...locals: string[]): XmlElement | null {
  let current: XmlElement | null = element ?? null;
  for (const local of locals) current = child(current, local);
  return current;
}

/** Text of the element at the path, or null when absent or empty. */
export function textAt(element: XmlElement | null | undefined, ...locals: string[]): string | null {
  const found = at(element, ...locals);
  return found && found.text !== '' ? found.text : null;
}

/** A node to render: `{ name: 'dom:value', text: 42 }`. Prefixes are declared by the caller. */
export interface XmlNode {
  name: string;
  attrs?: Record<string, string>;
  children?: XmlNode[];
  text?: string | number | boolean;
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;',
  );
}

export function renderXml(node: XmlNode): string {
  const attrs = Object.entries(node.attrs ?? {})
    .map(([key, value]) => ` ${key}="${escapeXml(value)}"`)
    .join('');
  const inner =
    node.text !== undefined
      ? escapeXml(String(node.text))
      : (node.children ?? []).map((c) => renderXml(c)).join('');
  return `<${node.name}${attrs}>${inner}</${node.name}>`;
}

/** Shorthand for building request bodies. */
export function el(
  name: string,
  content?: XmlNode[] | string | number | boolean,
  attrs?: Record<string, string>,
): XmlNode {
  if (Array.isArray(content)) return { name, children: content, ...(attrs ? { attrs } : {}) };
  return { name, text: content, ...(attrs ? { attrs } : {}) };
}
