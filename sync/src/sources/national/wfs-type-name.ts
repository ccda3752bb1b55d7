import { SaxesParser, type SaxesTagNS } from 'saxes';
import { redactUrl } from '../../util/redact.js';
import { checkedGet, type SourceHttp } from '../checked-get.js';
import { FormatError } from '../files/format-error.js';

/** A feature type as GetCapabilities names it: `app:Støy` and the namespace behind `app`. */
export interface QualifiedTypeName {
  typeName: string;
  /** The namespace URI of the prefix (null when the name has no prefix or it is not declared). */
  namespace: string | null;
}

/**
 * The qualified name of the feature type whose local name is `localName` (Bane NOR's `Støy`),
 * read from the service's WFS 2.0 GetCapabilities (`FeatureTypeList/FeatureType/Name`): the prefix
 * a service gives its types (deegree's `app:`, or another) is not guessed. No such type, or more
 * than one, fails with the types it does list.
 */
export async function resolveWfsTypeName(
  http: SourceHttp,
  endpoint: string,
  localName: string,
  options: { kommune?: string; signal?: AbortSignal } = {},
): Promise<QualifiedTypeName> {
  const url = new URL(endpoint);
  for (const [key, value] of Object.entries({
    SERVICE: 'WFS',
    REQUEST: 'GetCapabilities',
    ACCEPTVERSIONS: '2.0.0',
  }))
    url.searchParams.set(key, value);
  return checkedGet(
    http,
    { url: url.toString(), kommune: options.kommune, signal: options.signal },
    (response) => {
      const listed = featureTypesOf(response.text());
      const matching = listed.filter((t) => localOf(t.typeName) === localName);
      if (matching.length === 1) return matching[0]!;
      const names = listed.map((t) => t.typeName).join(', ') || 'none';
      throw new FormatError(
        'malformed',
        matching.length === 0
          ? `GetCapabilities of ${redactUrl(url)} lists no feature type named ${localName} (it lists: ${names})`
          : `GetCapabilities lists ${matching.length} feature types named ${localName} (${matching.map((t) => t.typeName).join(', ')}); set the layer's URL to a service with one`,
      );
    },
  );
}

const localOf = (name: string) => name.slice(name.indexOf(':') + 1);

/** Every `FeatureType/Name` in the capabilities, with the namespace its prefix is bound to there. */
export function featureTypesOf(xml: string): QualifiedTypeName[] {
  if (/^[\s\uFEFF]*(<!doctype html|<html)/i.test(xml))
    throw new FormatError('html-error-page', 'an HTML page, not capabilities');
  const parser = new SaxesParser({ xmlns: true });
  const path: string[] = [];
  const scopes: Array<Record<string, string>> = [];
  const found: QualifiedTypeName[] = [];
  let text: string | null = null;
  let root: string | null = null;
  parser.on('error', (error) => {
    throw new FormatError('malformed', `GetCapabilities is not well-formed XML: ${error.message}`);
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    root ??= tag.local;
    path.push(tag.local);
    scopes.push({ ...(scopes.at(-1) ?? {}), ...tag.ns });
    if (path.slice(-3).join('/') === 'FeatureTypeList/FeatureType/Name') text = '';
  });
  parser.on('text', (t) => {
    if (text !== null) text += t;
  });
  parser.on('closetag', () => {
    if (text !== null) {
      const typeName = text.trim();
      const prefix = typeName.includes(':') ? typeName.slice(0, typeName.indexOf(':')) : null;
      found.push({ typeName, namespace: prefix ? (scopes.at(-1)![prefix] ?? null) : null });
      text = null;
    }
    path.pop();
    scopes.pop();
  });
  parser.write(xml).close();
  if (root === 'ExceptionReport' || root === 'ServiceExceptionReport')
    throw new FormatError('service-exception', `GetCapabilities answered an exception: ${xml.slice(0, 300)}`);
  if (root !== 'WFS_Capabilities')
    throw new FormatError('malformed', `not WFS capabilities (root element <${root ?? 'none'}>)`);
  return found;
}
