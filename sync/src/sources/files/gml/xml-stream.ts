import { TextDecoder } from 'node:util';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { FormatError } from '../format-error.js';

/** One XML element of a feature, kept only while that feature is read. Attributes by local name. */
export interface XmlElement {
  local: string;
  uri: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

export interface FeatureContext {
  /** 0-based position of the feature in the stream (over all concatenated documents). */
  index: number;
  /** srsName of the collection's `gml:boundedBy` envelope, inherited by geometries that name none. */
  collectionSrsName: string | null;
}

export interface GmlStreamSummary {
  /** Root element local name of the (last) document. */
  root: string | null;
  documents: number;
  /** Features seen: the `wfs:member` count, never the `numberReturned` header (teig WFS quirk). */
  features: number;
  /** `numberReturned` as the (last) document claimed it. */
  numberReturned: string | null;
  /** `numberMatched` of the (last) document: a number, "unknown" or null. */
  numberMatched: string | null;
}

const MEMBER = new Set(['member', 'featureMember']);
const MEMBERS = new Set(['featureMembers']);
const EXCEPTION_ROOTS = new Set(['ExceptionReport', 'ServiceExceptionReport']);

type Frame =
  | { kind: 'collection' }
  | { kind: 'member'; many: boolean }
  | { kind: 'skip' }
  | { kind: 'tree'; element: XmlElement; purpose: 'feature' | 'bounded-by' | 'exception' };

class DocumentEnded extends Error {
  constructor(readonly at: number) {
    super('document ended');
  }
}

/**
 * Streams the features of GML 3.2 / WFS 2.0 FeatureCollections (`wfs:member`, `gml:featureMember`,
 * `gml:featureMembers`, nested `wfs:FeatureCollection`) one at a time, so a file of several hundred
 * MB never becomes one DOM. Several documents concatenated in one stream (saved teig WFS pages) are
 * read one after the other. Throws FormatError for what is not a usable document: not XML, an HTML
 * page, an OWS/WMS exception report (even with HTTP 200), a truncated document, `truncatedResponse`.
 */
export async function streamGmlFeatures(
  chunks: AsyncIterable<Uint8Array | string> | Iterable<string>,
  onFeature: (feature: XmlElement, context: FeatureContext) => void,
): Promise<GmlStreamSummary> {
  const summary: GmlStreamSummary = {
    root: null,
    documents: 0,
    features: 0,
    numberReturned: null,
    numberMatched: null,
  };
  let parser: SaxesParser<{ xmlns: true }>;
  let stack: Frame[] = [];
  let collectionSrsName: string | null = null;
  let fedBefore = 0;
  let sawContent = false;
  let decoder: TextDecoder | null = null;

  const newParser = () => {
    parser = new SaxesParser({ xmlns: true });
    stack = [];
    collectionSrsName = null;
    parser.on('error', (error) => {
      throw new FormatError('malformed', `not well-formed XML: ${error.message}`);
    });
    parser.on('opentag', open);
    parser.on('closetag', close);
    parser.on('text', text);
    parser.on('cdata', text);
  };

  const open = (tag: SaxesTagNS) => {
    const local = tag.local;
    const top = stack[stack.length - 1];
    if (!top) {
      summary.root = local;
      summary.documents += 1;
      if (local.toLowerCase() === 'html') throw new FormatError('html-error-page', 'an HTML page, not GML');
      if (EXCEPTION_ROOTS.has(local)) {
        stack.push({ kind: 'tree', element: element(tag), purpose: 'exception' });
        return;
      }
      if (local !== 'FeatureCollection') {
        throw new FormatError('malformed', `not a GML FeatureCollection (root element <${tag.name}>)`);
      }
      const returned = tag.attributes.numberReturned?.value;
      if (returned !== undefined) summary.numberReturned = returned;
      const matched = tag.attributes.numberMatched?.value;
      if (matched !== undefined) summary.numberMatched = matched;
      stack.push({ kind: 'collection' });
      return;
    }
    if (top.kind === 'tree') {
      const child = element(tag);
      top.element.children.push(child);
      stack.push({ kind: 'tree', element: child, purpose: top.purpose });
      return;
    }
    if (top.kind === 'skip') {
      stack.push(top);
      return;
    }
    if (top.kind === 'collection') {
      if (MEMBER.has(local) || MEMBERS.has(local)) stack.push({ kind: 'member', many: MEMBERS.has(local) });
      else if (local === 'boundedBy' && stack.length === 1)
        stack.push({ kind: 'tree', element: element(tag), purpose: 'bounded-by' });
      else if (local === 'truncatedResponse')
        throw new FormatError('truncated', 'the service truncated its response (wfs:truncatedResponse)');
      else stack.push({ kind: 'skip' });
      return;
    }
    // Inside a member: a nested collection (WFS 2.0 joins) or the feature itself.
    if (local === 'FeatureCollection') stack.push({ kind: 'collection' });
    else stack.push({ kind: 'tree', element: element(tag), purpose: 'feature' });
  };

  const close = () => {
    const frame = stack.pop();
    if (frame?.kind === 'tree') {
      const parent = stack[stack.length - 1];
      const isTop = !parent || parent.kind !== 'tree';
      if (isTop && frame.purpose === 'feature') {
        onFeature(frame.element, { index: summary.features, collectionSrsName });
        summary.features += 1;
      } else if (isTop && frame.purpose === 'bounded-by') {
        collectionSrsName = findSrsName(frame.element);
      } else if (isTop && frame.purpose === 'exception') {
        throw new FormatError('service-exception', exceptionText(frame.element));
      }
    }
    if (stack.length === 0) throw new DocumentEnded(parser.position);
  };

  const text = (value: string) => {
    const top = stack[stack.length - 1];
    if (top?.kind === 'tree') top.element.text += value;
  };

  const feed = (value: string) => {
    let rest = value;
    while (rest.length > 0) {
      if (stack.length === 0 && !sawContent) {
        const trimmed = rest.replace(/^[\s\uFEFF]+/, '');
        if (trimmed.length === 0) return;
        // An XML declaration must be the very first thing a parser sees (also in the 2nd, 3rd … document).
        rest = trimmed;
        if (rest[0] !== '<')
          throw new FormatError('malformed', `not XML (starts with ${JSON.stringify(trimmed.slice(0, 40))})`);
        if (/^<!doctype html|^<html/i.test(trimmed))
          throw new FormatError('html-error-page', 'an HTML page, not GML');
        sawContent = true;
      }
      try {
        parser.write(rest);
        fedBefore += rest.length;
        rest = '';
      } catch (error) {
        if (!(error instanceof DocumentEnded)) throw error;
        // The finished parser is dropped; the rest of the chunk starts the next document.
        // `at` counts the characters this parser has read, up to the root's closing ">".
        const consumed = error.at - fedBefore;
        rest = rest.slice(consumed);
        fedBefore = 0;
        sawContent = false;
        newParser();
      }
    }
  };

  newParser();
  for await (const chunk of chunks) {
    if (typeof chunk === 'string') feed(chunk);
    else {
      decoder ??= new TextDecoder(encodingOf(chunk));
      feed(decoder.decode(chunk, { stream: true }));
    }
  }
  if (decoder) feed(decoder.decode());
  if (stack.length > 0) {
    const open = [...stack].reverse().find((f): f is Extract<Frame, { kind: 'tree' }> => f.kind === 'tree');
    throw new FormatError(
      'truncated',
      `the XML document ends early${open ? ` inside <${open.element.local}>` : ''} (truncated)`,
    );
  }
  if (summary.documents === 0) throw new FormatError('malformed', 'empty document (no XML element)');
  return summary;
}

function element(tag: SaxesTagNS): XmlElement {
  const attrs: Record<string, string> = {};
  for (const attribute of Object.values(tag.attributes)) {
    if (attribute.prefix !== 'xmlns' && attribute.name !== 'xmlns') attrs[attribute.local] = attribute.value;
  }
  return { local: tag.local, uri: tag.uri, attrs, children: [], text: '' };
}

function findSrsName(node: XmlElement): string | null {
  if (node.attrs.srsName) return node.attrs.srsName;
  for (const child of node.children) {
    const found = findSrsName(child);
    if (found) return found;
  }
  return null;
}

function exceptionText(node: XmlElement): string {
  const parts: string[] = [];
  const visit = (n: XmlElement) => {
    const code = n.attrs.exceptionCode ?? n.attrs.code;
    if (code) parts.push(`${code}${n.attrs.locator ? ` (${n.attrs.locator})` : ''}:`);
    const own = n.text.replace(/\s+/g, ' ').trim();
    if (own) parts.push(own);
    n.children.forEach(visit);
  };
  visit(node);
  return `service exception: ${parts.join(' ') || node.local}`;
}

/** The document's encoding from a BOM or the XML declaration; UTF-8 otherwise. */
export function encodingOf(first: Uint8Array): string {
  if (first[0] === 0xfe && first[1] === 0xff) return 'utf-16be';
  if (first[0] === 0xff && first[1] === 0xfe) return 'utf-16le';
  const head = Buffer.from(first.subarray(0, 200)).toString('latin1');
  const declared = /^\uFEFF?\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1];
  if (!declared) return 'utf-8';
  try {
    new TextDecoder(declared);
    return declared;
  } catch {
    return 'utf-8';
  }
}

/** Child elements with the given local name. */
export function childrenNamed(node: XmlElement, local: string): XmlElement[] {
  return node.children.filter((c) => c.local === local);
}

export function childNamed(node: XmlElement, local: string): XmlElement | undefined {
  return node.children.find((c) => c.local === local);
}
