import type { PropertyValue } from '../../../domain/plan.js';
import type { XmlElement } from './xml-stream.js';

const GML_NS = 'http://www.opengis.net/gml/3.2';
const GML_NAMESPACES = new Set([GML_NS, 'http://www.opengis.net/gml']);

/** A GML feature with its nested property elements flattened to NAP-style dotted names. */
export interface FlatGmlFeature {
  /** Element local name, e.g. "RpOmråde", "Teig". */
  type: string;
  gmlId: string | null;
  /** First value of every simple property, under dotted names (`identifikasjon.lokalId`). */
  properties: Record<string, PropertyValue>;
  /** Every occurrence of every structured property (`matrikkelenhet` → one entry per Matrikkelenhet). */
  groups: Record<string, Array<Record<string, PropertyValue>>>;
  /** xlink:href targets per property, "#" removed. */
  links: Record<string, string[]>;
  /** Geometry-valued properties in document order. */
  geometries: Array<{ property: string; element: XmlElement }>;
}

/**
 * Flattens one feature element the way NAP names its columns: a property holding a typed wrapper
 * (`identifikasjon/Identifikasjon/lokalId`) becomes `identifikasjon.lokalId` — wrapper elements
 * (upper-case first letter, the SOSI data type) add no segment. `xsi:nil` becomes null.
 */
export function flattenGmlFeature(feature: XmlElement): FlatGmlFeature {
  const flat: FlatGmlFeature = {
    type: feature.local,
    gmlId: feature.attrs.id ?? null,
    properties: {},
    groups: {},
    links: {},
    geometries: [],
  };
  for (const property of feature.children) {
    if (GML_NAMESPACES.has(property.uri)) continue; // gml:boundedBy, gml:name, gml:description …
    const name = property.local;
    const href = property.attrs.href;
    if (href !== undefined) {
      (flat.links[name] ??= []).push(href.replace(/^#/, ''));
      continue;
    }
    const first = property.children[0];
    if (first && GML_NAMESPACES.has(first.uri)) {
      flat.geometries.push({ property: name, element: first });
      continue;
    }
    if (property.children.length === 0) {
      if (!(name in flat.properties)) flat.properties[name] = valueOf(property);
      continue;
    }
    const group: Record<string, PropertyValue> = {};
    collect(property, '', group);
    (flat.groups[name] ??= []).push(group);
    for (const [key, value] of Object.entries(group)) {
      const dotted = `${name}.${key}`;
      if (!(dotted in flat.properties)) flat.properties[dotted] = value;
    }
  }
  return flat;
}

function collect(node: XmlElement, prefix: string, into: Record<string, PropertyValue>): void {
  const wrappers = node.children.every((c) => isTypeName(c.local));
  for (const child of node.children) {
    if (wrappers) {
      collect(child, prefix, into);
      continue;
    }
    const key = prefix ? `${prefix}.${child.local}` : child.local;
    if (child.children.length === 0) {
      if (!(key in into)) into[key] = valueOf(child);
    } else {
      collect(child, key, into);
    }
  }
}

function isTypeName(local: string): boolean {
  const first = local[0];
  return first !== undefined && first !== first.toLowerCase();
}

function valueOf(node: XmlElement): PropertyValue {
  if (node.attrs.nil === 'true') return null;
  const text = node.text.trim();
  return text === '' ? null : text;
}
