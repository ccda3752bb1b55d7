import { z } from 'zod';

/** NVE moved every map service here in Dec 2025 (shared/reference/notes/national-layers.md §1). */
const NVE = 'https://kart.nve.no/enterprise/rest/services';
const RA = 'https://api.ra.no';
const MDIR = 'https://kart.miljodirektoratet.no/arcgis/rest/services';

/** The CRSs a layer may be asked in: the national UTM zones (the answer is brought to EPSG:25833). */
const utmEpsg = z.union([z.literal(25832), z.literal(25833), z.literal(25835)]);

/** One national layer's settings: on or off, and where it is served (the hosts have moved before). */
const layerFields = (url: string, enabled: boolean) => ({
  enabled: z.boolean().default(enabled),
  /** ArcGIS: the layer's URL (`…/MapServer/<id>`); OGC API: the collection's items URL; WFS: the endpoint. */
  url: z.url({ protocol: /^https?$/ }).default(url),
  /** The CRS the bounding box is sent in and the answer asked for (ArcGIS, WFS). */
  epsg: utmEpsg.default(25833),
});

const layer = (url: string, enabled = true) => z.object(layerFields(url, enabled)).strict().prefault({});

/**
 * An NVE hazard layer with the service's coverage layer beside it: a miss outside the coverage
 * means "not mapped", not "safe" (shared/reference/notes/national-layers.md §1). The coverage is
 * fetched with the layer; switched off, the lot's mapped share is not checked.
 */
const mappedLayer = (url: string, coverageUrl: string) =>
  z
    .object({
      ...layerFields(url, true),
      coverage: z
        .object({
          enabled: z.boolean().default(true),
          /** The coverage layer (`…/MapServer/<id>`), asked in the layer's CRS. */
          url: z.url({ protocol: /^https?$/ }).default(coverageUrl),
        })
        .strict()
        .prefault({}),
    })
    .strict()
    .prefault({});

/**
 * National constraint layers fetched for every kommune by default (issue 16 point 1): open and
 * keyless, per kommune by bounding box, cached with conditional requests and reused for
 * `refreshDays`. Endpoints and what is confirmed: docs/national-layers.md.
 */
export const nationalLayerRulesSchema = z
  .object({
    /** Off: no national layer is fetched (the kommune's plans and extraLayers still count). */
    enabled: z.boolean().default(true),
    /** A kept layer is reused until its kommune's refresh point, at most this many days (`isFresh`). */
    refreshDays: z.number().min(0).max(365).default(7),
    /** One request's limit; offline, a layer fails after this at most (short: the run goes on). */
    timeoutMs: z.int().min(1_000).max(600_000).default(20_000),
    /** Retries of 429/5xx and dropped connections per request (Retry-After honoured). */
    maxRetries: z.int().min(0).max(6).default(2),
    /** Features per page (ArcGIS resultRecordCount, OGC API limit, WFS count). */
    pageSize: z.int().min(10).max(5_000).default(1_000),
    layers: z
      .object({
        /** Coverage: layer 0, analyseområde. */
        flomsoner: mappedLayer(`${NVE}/Flomsoner2/MapServer/17`, `${NVE}/Flomsoner2/MapServer/0`),
        /** Coverage: layer 2, FlomAktsomhet_Dekning; an awareness area counts only inside it. */
        flomaktsomhet: mappedLayer(`${NVE}/Flomaktsomhet/MapServer/1`, `${NVE}/Flomaktsomhet/MapServer/2`),
        /** Coverage: the quick-clay awareness map's coverage (KvikkleireskredAktsomhet layer 1, `dekningstatus`). */
        kvikkleire: mappedLayer(
          `${NVE}/SkredKvikkleire2/MapServer/0`,
          `${NVE}/KvikkleireskredAktsomhet/MapServer/1`,
        ),
        /** Coverage: layer 0, Kartleggingsomrade. */
        skredfaresoner: mappedLayer(
          `${NVE}/Skredfaresoner3/MapServer/7`,
          `${NVE}/Skredfaresoner3/MapServer/0`,
        ),
        /** Coverage: layer 1, kartlagt. */
        skredaktsomhet: mappedLayer(
          `${NVE}/SkredSnoSteinAkt/MapServer/0`,
          `${NVE}/SkredSnoSteinAkt/MapServer/1`,
        ),
        jordflomskred: layer(`${NVE}/JordFlomskredAktsomhet/MapServer/1`),
        kulturminner: layer(`${RA}/LokaliteterEnkeltminnerOgSikringssoner/collections/lokaliteter/items`),
        sikringssoner: layer(`${RA}/LokaliteterEnkeltminnerOgSikringssoner/collections/sikringssoner/items`),
        kulturmiljoer: layer(`${RA}/KulturminnerKulturmiljoer/collections/kulturmiljoer/items`),
        verneomrader: layer(`${MDIR}/vern/MapServer/0`),
        stoyVeg: layer('https://www.vegvesen.no/kart/ogc/norstoy_1_0/ows'),
        /** Geonorge's deegree WFS (Kartverket's DOK config); the type `Støy`'s prefix is read from GetCapabilities. */
        stoyBane: layer('https://wfs.geonorge.no/skwms1/wfs.stoysonerjernbanenett'),
      })
      .strict()
      .prefault({}),
    /** Farmland (AR5 fulldyrka 21, overflatedyrka 22, innmarksbeite 23). */
    landbruk: z
      .object({
        enabled: z.boolean().default(true),
        /**
         * FKB-AR5 as the customer licenses it (GeoJSON, GML or GeoPackage; `{kommunenummer}` is
         * replaced). When the file for a kommune is absent, the open WMS is sampled instead.
         */
        file: z.string().min(1).optional(),
        /** NIBIO's open AR5 WMS (MapServer), sampled with GetFeatureInfo at points inside each lot. */
        wms: z
          .object({
            enabled: z.boolean().default(true),
            url: z.url({ protocol: /^https?$/ }).default('https://wms.nibio.no/cgi-bin/ar5'),
            layer: z.string().min(1).default('Arealtype'),
            /** One sample per cell of this size (m) whose centre lies in the lot. */
            cellM: z.number().min(5).max(500).default(40),
            maxSamplesPerLot: z.int().min(1).max(100).default(16),
            /** Over this many samples a kommune's cells grow until it fits (then largest lots first); 1 500 at 4/s is about 6 min, within KOMMUNE_TIME_LIMIT_MINUTES. */
            maxSamplesPerKommune: z.int().min(1).max(200_000).default(1_500),
            requestsPerSecond: z.number().min(0.1).max(20).default(4),
          })
          .strict()
          .prefault({}),
        /** ARTYPE codes that count as farmland. */
        arealtyper: z.array(z.int()).min(1).default([21, 22, 23]),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({});

export type NationalLayerRules = z.infer<typeof nationalLayerRulesSchema>;
export type NationalLayerId = keyof NationalLayerRules['layers'];
export type NationalLayerSwitch = NationalLayerRules['layers'][NationalLayerId];
