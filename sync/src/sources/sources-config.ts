import { z } from 'zod';
import { loadJsonConfig, parseJsonConfig } from '../config/json-config.js';
import { DEFAULT_WMS_LAYERS } from './nap/wms-probe.js';

const kommunenummer = z.string().regex(/^\d{4}$/, 'must be a 4-digit kommunenummer, e.g. 3218');
const sourceName = z.string().min(1);
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const vertikalniva = z.array(z.number().int().min(1).max(5)).min(1);
/** Politeness towards one service; the defaults suit the public services (see docs/sources.md). */
const rateLimit = z
  .object({
    requestsPerSecond: z.number().min(0.1).max(1000),
    concurrency: z.number().int().min(1).max(32),
  })
  .strict()
  .optional();

const napSchema = z
  .object({
    type: z.literal('nap-ogc-api'),
    rateLimit,
    /** Default: `${NAP_BASE_URL}/services/rest/kommuneplaner`. */
    kommuneplanUrl: httpUrl.optional(),
    /** Default: `${NAP_BASE_URL}/services/rest/reguleringsplaner/vn{vn}`. */
    reguleringsplanUrl: z
      .string()
      .includes('{vn}', { error: 'must contain {vn} (one API per vertikalnivå)' })
      .optional(),
    vertikalniva: vertikalniva.default([2]),
    pageSize: z.number().int().min(1).max(10_000).default(1000),
    kommuneParameter: z.string().min(1).default('arealplanId.kommunenummer'),
    collections: z.record(z.string(), z.string()).optional(),
  })
  .strict();

const wmsSchema = z
  .object({
    type: z.literal('nap-wms'),
    rateLimit,
    /** Default: `${NAP_BASE_URL}/services/wms/reguleringsplaner`. */
    url: httpUrl.optional(),
    vertikalniva: vertikalniva.default([1, 2, 3, 4, 5]),
    layers: z.array(z.string().min(1)).min(1).default(DEFAULT_WMS_LAYERS),
    /** The recorded scale cliff: 400 m answered, 800 m was empty; keep the window small. */
    halfWindowM: z.number().min(1).max(200).default(40),
  })
  .strict();

const wfsSchema = z
  .object({
    type: z.literal('wfs'),
    rateLimit,
    url: httpUrl,
    typeNames: z
      .object({
        kommuneplan: z.record(z.string(), z.string()).optional(),
        reguleringsplan: z.record(z.string(), z.string()).optional(),
      })
      .strict(),
    attributes: z.record(z.string(), z.string()).default({}),
    srsName: z.string().default('urn:ogc:def:crs:EPSG::25833'),
    format: z.enum(['GML', 'GEOJSON']).default('GML'),
    pageSize: z.number().int().min(1).max(100_000).default(1000),
    sortBy: z.string().optional(),
  })
  .strict();

const filesSchema = z
  .object({
    type: z.literal('files'),
    kommuneplan: z.string().min(1).optional(),
    reguleringsplan: z.string().min(1).optional(),
    parcels: z.string().min(1).optional(),
  })
  .strict();

const teigSchema = z
  .object({
    type: z.literal('teig-wfs'),
    rateLimit,
    /** Default: TEIG_WFS_URL. */
    url: httpUrl.optional(),
    typeName: z.string().default('app:Teig'),
    tileSizeM: z.number().min(100).max(50_000).default(2000),
    pageSize: z.number().int().min(1).max(10_000).default(1000),
    tileConcurrency: z.number().int().min(1).max(8).default(2),
  })
  .strict();

export const sourceSchema = z.discriminatedUnion('type', [
  napSchema,
  wmsSchema,
  wfsSchema,
  filesSchema,
  teigSchema,
]);
export type SourceConfig = z.infer<typeof sourceSchema>;

const choiceSchema = z
  .object({
    kommuneplan: sourceName.optional(),
    reguleringsplan: sourceName.optional(),
    parcels: sourceName.optional(),
  })
  .strict();

/** Always defined; a `sources` entry of the same name replaces one. */
export const BUILT_IN_SOURCES: Record<string, SourceConfig> = {
  nap: napSchema.parse({ type: 'nap-ogc-api' }),
  'nap-wms': wmsSchema.parse({ type: 'nap-wms' }),
  'teig-wfs': teigSchema.parse({ type: 'teig-wfs' }),
};

/**
 * The SOURCES_FILE: named sources, the default choice per part, and per-kommune overrides.
 *
 * ```json
 * {
 *   "sources": {
 *     "bergen": { "type": "wfs", "url": "https://kart.bergen.kommune.no/…/WFSServer",
 *                 "typeNames": { "reguleringsplan": { "app:RpOmrade": "RpOmråde" } },
 *                 "attributes": { "PLANID": "arealplanId.planidentifikasjon" } },
 *     "nedlasting": { "type": "files", "kommuneplan": "data/plans/{kommunenummer}/kommuneplan.zip" }
 *   },
 *   "defaults": { "kommuneplan": "nap", "reguleringsplan": "nap", "parcels": "teig-wfs", "probe": "nap-wms" },
 *   "kommuner": { "4601": { "reguleringsplan": "bergen" }, "3218": { "kommuneplan": "nedlasting" } }
 * }
 * ```
 */
export const sourcesFileSchema = z
  .object({
    sources: z.record(sourceName, sourceSchema).default({}),
    defaults: z
      .object({
        kommuneplan: sourceName.default('nap'),
        reguleringsplan: sourceName.default('nap'),
        parcels: sourceName.default('teig-wfs'),
        probe: sourceName.default('nap-wms'),
      })
      .strict()
      .default({ kommuneplan: 'nap', reguleringsplan: 'nap', parcels: 'teig-wfs', probe: 'nap-wms' }),
    kommuner: z.record(z.string(), choiceSchema).default({}),
  })
  .strict()
  .superRefine((file, ctx) => {
    const all = { ...BUILT_IN_SOURCES, ...file.sources };
    const check = (
      name: string | undefined,
      role: 'kommuneplan' | 'reguleringsplan' | 'parcels' | 'probe',
      path: (string | number)[],
    ) => {
      if (name === undefined) return;
      const source = all[name];
      if (!source) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `no source named "${name}" (known: ${Object.keys(all).join(', ')})`,
        });
        return;
      }
      const problem = unsuitable(source, role);
      if (problem) ctx.addIssue({ code: 'custom', path, message: `source "${name}" ${problem}` });
    };
    for (const role of ['kommuneplan', 'reguleringsplan', 'parcels', 'probe'] as const) {
      check(file.defaults[role], role, ['defaults', role]);
    }
    for (const [nr, choice] of Object.entries(file.kommuner)) {
      if (!kommunenummer.safeParse(nr).success) {
        ctx.addIssue({
          code: 'custom',
          path: ['kommuner', nr],
          message: 'must be a 4-digit kommunenummer, e.g. 3218',
        });
      }
      for (const role of ['kommuneplan', 'reguleringsplan', 'parcels'] as const)
        check(choice[role], role, ['kommuner', nr, role]);
    }
  });

export type SourcesFile = z.infer<typeof sourcesFileSchema>;
export type SourceRole = 'kommuneplan' | 'reguleringsplan' | 'parcels' | 'probe';

/** Why a source cannot play a role, or null when it can. */
export function unsuitable(source: SourceConfig, role: SourceRole): string | null {
  switch (role) {
    case 'kommuneplan':
    case 'reguleringsplan':
      if (source.type === 'nap-ogc-api') return null;
      if (source.type === 'wfs') return source.typeNames[role] ? null : `has no typeNames.${role}`;
      if (source.type === 'files') return source[role] ? null : `names no ${role} file`;
      return `(${source.type}) cannot deliver a whole kommune's ${role}`;
    case 'parcels':
      if (source.type === 'teig-wfs') return null;
      if (source.type === 'files') return source.parcels ? null : 'names no parcels file';
      return `(${source.type}) cannot deliver parcels`;
    case 'probe':
      return source.type === 'teig-wfs' ? '(teig-wfs) cannot probe plans at a point' : null;
  }
}

export const defaultSourcesFile = (): SourcesFile => sourcesFileSchema.parse({});

export function parseSourcesFile(value: unknown, origin = 'sources'): SourcesFile {
  return parseJsonConfig(sourcesFileSchema, value, origin);
}

export function loadSourcesFile(file: string | undefined): SourcesFile {
  return file ? loadJsonConfig(sourcesFileSchema, file, 'sources file') : defaultSourcesFile();
}

/** The source name that serves a part of a kommune. */
export function chosenSource(file: SourcesFile, kommunenummer: string, role: SourceRole): string {
  if (role === 'probe') return file.defaults.probe;
  return file.kommuner[kommunenummer]?.[role] ?? file.defaults[role];
}
