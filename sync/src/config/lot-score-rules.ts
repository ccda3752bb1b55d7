import { z } from 'zod';
import { nationalLayerRulesSchema } from './national-layer-rules.js';

const codes = z.array(z.number().int());
const weight = (fallback: number) => z.number().min(0).max(100).default(fallback);
const fraction = z.number().min(0).max(1);
const kommunenummer = z.string().regex(/^\d{4}$/, 'a kommunenummer has 4 digits, e.g. 3218');
/** The confidence a finding caps a lot at; 'none' ignores the finding. */
const cap = (fallback: 'medium' | 'low' | 'none') => z.enum(['medium', 'low', 'none']).default(fallback);

export const LOT_FACTOR_KEYS = [
  'storrelse',
  'kapasitet',
  'sentralitet',
  'infrastruktur',
  'konfliktfrihet',
  'kommunalVilje',
  'eierstruktur',
] as const;
export type LotFactorKey = (typeof LOT_FACTOR_KEYS)[number];

export const KOMMUNE_CLASSES = ['storby', 'by', 'bygd'] as const;
export type KommuneClass = (typeof KOMMUNE_CLASSES)[number];

const constraintTypeSchema = z.object({
  /** Norwegian label the sales team reads. */
  label: z.string().min(1),
  /** 0–1: how much of the lot a full cover takes away from Konfliktfrihet. */
  weight: fraction,
  /** Shown as "alvorlig" and named first in the explanation: this could kill the lot. */
  severe: z.boolean().default(false),
  /** Hensynssone codes (the number in "H<code>_<n>") from kommuneplan and reguleringsplan. */
  hensyn: codes.default([]),
});
export type ConstraintTypeRule = z.infer<typeof constraintTypeSchema>;

/**
 * Default constraint types. Codes: SOSI hensynssoner (domain/codes.ts HENSYN). Severe: hazards that
 * forbid building (fare, red noise), protection by law (naturvern, kulturminner, marka) and building
 * bans. Extra layers (NVE flood and landslide zones, protected areas, farmland) map onto these keys,
 * so a kommuneplan flood zone and NVE's flood zone over the same land count once.
 */
export const DEFAULT_CONSTRAINT_TYPES: Record<string, z.input<typeof constraintTypeSchema>> = {
  skred: { label: 'Ras- og skredfare', weight: 1, severe: true, hensyn: [310] },
  flom: { label: 'Flomfare', weight: 1, severe: true, hensyn: [320] },
  radon: { label: 'Radonfare', weight: 0.05, hensyn: [330] },
  brannEksplosjon: { label: 'Brann-/eksplosjonsfare', weight: 0.8, severe: true, hensyn: [350] },
  skytebane: { label: 'Skytebane', weight: 0.6, severe: true, hensyn: [360] },
  hoyspent: { label: 'Høyspenningsanlegg', weight: 0.7, severe: true, hensyn: [370] },
  militaer: { label: 'Militær virksomhet', weight: 0.6, severe: true, hensyn: [380] },
  annenFare: { label: 'Annen fare', weight: 0.5, hensyn: [390] },
  stoyRod: { label: 'Rød støysone', weight: 0.7, severe: true, hensyn: [210] },
  stoyGul: { label: 'Gul støysone', weight: 0.2, hensyn: [220] },
  stoyAnnen: { label: 'Annen støysone', weight: 0.2, hensyn: [290] },
  drikkevann: { label: 'Drikkevann og grunnvann', weight: 0.5, hensyn: [110, 120] },
  byggeforbudVeg: {
    label: 'Byggeforbud rundt veg, bane og flyplass',
    weight: 0.8,
    severe: true,
    hensyn: [130],
  },
  sikringAnnen: { label: 'Frisikt og andre sikringssoner', weight: 0.2, hensyn: [140, 190] },
  landbruk: { label: 'Landbruk og dyrka mark', weight: 0.5, hensyn: [510] },
  reindrift: { label: 'Reindrift', weight: 0.5, hensyn: [520] },
  friluftsliv: { label: 'Friluftsliv', weight: 0.4, hensyn: [530] },
  gronnstruktur: { label: 'Grønnstruktur', weight: 0.4, hensyn: [540] },
  landskap: { label: 'Landskap', weight: 0.3, hensyn: [550] },
  naturmiljo: { label: 'Bevaring naturmiljø', weight: 0.6, hensyn: [560] },
  kulturmiljo: { label: 'Bevaring kulturmiljø', weight: 0.5, hensyn: [570] },
  randsone: { label: 'Randsone til nasjonalpark', weight: 0.4, hensyn: [580] },
  mineral: { label: 'Mineralressurser', weight: 0.5, hensyn: [590] },
  bandlagtRegulering: { label: 'Båndlagt for regulering', weight: 0.6, hensyn: [710] },
  naturvern: { label: 'Naturvern (verneområde)', weight: 1, severe: true, hensyn: [720] },
  kulturminne: { label: 'Kulturminner (båndlagt)', weight: 0.8, severe: true, hensyn: [730] },
  marka: { label: 'Markaloven', weight: 1, severe: true, hensyn: [735] },
  bandlagtAnnen: { label: 'Båndlagt etter andre lover', weight: 0.6, hensyn: [740, 750] },
  rekkefolgekrav: { label: 'Rekkefølgekrav (infrastruktur)', weight: 0.2, hensyn: [410, 430, 440, 450] },
  fellesPlanlegging: { label: 'Krav om felles planlegging', weight: 0.2, hensyn: [810] },
  omforming: { label: 'Omforming og fornyelse', weight: 0.1, hensyn: [820, 830] },
  // National layers (config/national-layer-rules.ts) that no hensynssone code names.
  kvikkleire: { label: 'Kvikkleiresone', weight: 1, severe: true },
  flomAktsomhet: { label: 'Aktsomhetsområde for flom', weight: 0.4 },
  skredAktsomhet: { label: 'Aktsomhetsområde for skred', weight: 0.4 },
};

/** User entries are merged over the defaults key by key, so `{"flom": {"weight": 0.8}}` is enough. */
const constraintTypesSchema = z.preprocess(
  (value) => {
    const merged: Record<string, unknown> = { ...DEFAULT_CONSTRAINT_TYPES };
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, entry] of Object.entries(value)) {
        const base = DEFAULT_CONSTRAINT_TYPES[key];
        merged[key] = base && entry && typeof entry === 'object' ? { ...base, ...entry } : entry;
      }
      return merged;
    }
    return value === undefined ? merged : value;
  },
  z.record(
    z.string().regex(/^[A-Za-z][A-Za-z0-9-]*$/, 'a constraint key is letters, digits and -'),
    constraintTypeSchema,
  ),
);

const centreSchema = z.union([
  z.object({ name: z.string().min(1), east: z.number(), north: z.number() }).strict(),
  z
    .object({ name: z.string().min(1), lat: z.number().min(57).max(72), lon: z.number().min(4).max(32) })
    .strict(),
]);
export type CentreRule = z.infer<typeof centreSchema>;

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

/**
 * The representative window a stop's departures are counted in (Journey Planner `estimatedCalls`):
 * the next `weekday` after today, from `from` (Europe/Oslo) for `hours`; a stop is "regular" for a
 * mode at `minPerHour[mode]` departures an hour or more (`otherMinPerHour` for modes not listed).
 */
const DEFAULT_MIN_DEPARTURES_PER_HOUR: Record<string, number> = {
  rail: 1,
  metro: 4,
  tram: 4,
  water: 1,
  bus: 4,
  trolleybus: 4,
  coach: 1,
};
const departureWindowSchema = z
  .object({
    weekday: z.enum(WEEKDAYS).default('tuesday'),
    from: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day, e.g. 07:00')
      .default('07:00'),
    hours: z.number().int().min(1).max(24).default(2),
    /** Merged over the defaults key by key: `{ "rail": 2 }` changes rail only. */
    minPerHour: z
      .record(z.string().min(1), z.number().positive())
      .prefault({})
      .transform((given) => ({ ...DEFAULT_MIN_DEPARTURES_PER_HOUR, ...given })),
    otherMinPerHour: z.number().positive().default(2),
  })
  .prefault({});
export type DepartureWindowRule = z.infer<typeof departureWindowSchema>;
export const WEEKDAY_NAMES: readonly string[] = WEEKDAYS;

/**
 * An extra constraint layer a user adds for a kommune (NVE flood or landslide zones, protected
 * areas, farmland): read by the source layer from a file or a WFS, then matched to a constraint key.
 */
const extraLayerSchema = z
  .object({
    /** Shown as the constraint's source, e.g. "NVE flomsone 200-år". */
    name: z.string().min(1),
    /** The constraint type the layer's areas count as (a key of `constraints.types`). */
    constraint: z.string().min(1),
    source: z.union([
      z.object({ file: z.string().min(1), layer: z.string().optional() }).strict(),
      z
        .object({
          wfs: z.url({ protocol: /^https?$/ }),
          typeName: z.string().min(1),
          epsg: z.number().int().optional(),
        })
        .strict(),
    ]),
    /** Keep only features whose property has one of these values (e.g. a return period). */
    where: z
      .object({ property: z.string().min(1), values: z.array(z.union([z.string(), z.number()])).min(1) })
      .strict()
      .optional(),
  })
  .strict();
export type ExtraLayerRule = z.infer<typeof extraLayerSchema>;

const densitySchema = z.object({
  storby: z.number().min(0).max(200),
  by: z.number().min(0).max(200),
  bygd: z.number().min(0).max(200),
});

const densityGroupSchema = z.object({
  /** Norwegian name shown with the capacity method. */
  name: z.string().min(1),
  arealformal: codes.default([]),
  arealbruk: codes.default([]),
  homesPerDaa: densitySchema,
});

/**
 * The lot score (issue 6): seven factors, each 0–1, weighted to a 0–100 total. Weights are
 * relative (they are scaled to sum to 100), defaults from the customer's model
 * (shared/reference/notes/users-and-workflow.md). See docs/lot-score.md.
 */
export const lotScoreRulesSchema = z
  .object({
    weights: z
      .object({
        storrelse: weight(15),
        kapasitet: weight(20),
        sentralitet: weight(15),
        infrastruktur: weight(10),
        konfliktfrihet: weight(20),
        kommunalVilje: weight(10),
        eierstruktur: weight(10),
      })
      .prefault({})
      .refine((w) => Object.values(w).some((v) => v > 0), 'at least one weight must be above 0'),
    /**
     * A factor without data counts as this value, or as the lot's weighted mean on the other
     * factors when that is lower: missing data never lifts a score above either.
     */
    missingFactorValue: fraction.default(0.5),
    storrelse: z.object({ fullScoreM2: z.number().positive().default(20_000) }).prefault({}),
    kapasitet: z.object({ fullScoreHomes: z.number().positive().default(200) }).prefault({}),
    sentralitet: z
      .object({
        /** Full score within this distance of the kommune's centre, metres. */
        fullScoreM: z.number().min(0).default(500),
        /** Zero at and beyond this distance; linear in between. */
        zeroScoreM: z.number().positive().default(5_000),
        /**
         * Centres per kommune (the administrative centre, a station): `east`/`north` in EPSG:25833
         * or `lat`/`lon`. Without an entry the middle of the kommune's largest tettsted (SSB), else
         * its representative point (kommuneinfo `punktIOmrade`), and confidence says so.
         */
        centres: z.record(kommunenummer, z.array(centreSchema).min(1)).default({}),
        /**
         * Public transport (issue 16): the nearest stop with regular departures (Entur's national
         * stop register through the Journey Planner), weighted by mode so rail and metro count
         * more than bus. The factor is `transitShare` × transit + the rest × centre distance.
         */
        transit: z
          .object({
            transitShare: fraction.default(0.6),
            /** Full transit score within this distance of a stop (times the mode's weight), metres. */
            fullScoreM: z.number().min(0).default(400),
            /** No transit score from this distance; linear in between. */
            zeroScoreM: z.number().positive().default(2_000),
            /**
             * Weight per Entur transport mode (the Journey Planner's `TransportMode`); a stop with
             * several modes counts with its best. Modes not listed count `otherModeWeight`.
             */
            modeWeights: z
              .record(z.string().min(1), fraction)
              .default({ rail: 1, metro: 1, tram: 0.8, water: 0.6, bus: 0.6, trolleybus: 0.6, coach: 0.4 }),
            otherModeWeight: fraction.default(0.2),
            /**
             * "Regular departures" where departures were counted: at least `minPerHour[mode]`
             * departures an hour of that mode in the window below. A kept copy from before departures
             * were counted falls back to "in use with at least `minLines` lines".
             */
            minLines: z.number().int().min(1).default(1),
            departures: departureWindowSchema,
          })
          .prefault({})
          .refine((t) => t.zeroScoreM > t.fullScoreM, 'zeroScoreM must be above fullScoreM'),
      })
      .prefault({})
      .refine((s) => s.zeroScoreM > s.fullScoreM, 'zeroScoreM must be above fullScoreM'),
    infrastruktur: z
      .object({
        /** Manual check: a public road within 100 m is fine, beyond 200 m the lot is rejected. */
        fullScoreM: z.number().min(0).default(100),
        zeroScoreM: z.number().positive().default(300),
        /** RpArealformålOmråde codes that are roads (2010 Veg … 2019 Annen veggrunn). */
        roadArealformal: codes.default([2010, 2011, 2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019]),
        /** Existing roads in the kommuneplan (KpArealformålOmråde with arealbruksstatus 1). */
        kommuneplanRoadArealformal: codes.default([2001, 2010]),
        /** Reguleringsplaner whose roads count: in force (3, 6); proposals are not built. */
        roadPlanstatus: codes.default([3, 6]),
        /** Existing built zones (arealbruksstatus 1): water, sewer and roads are there. */
        builtArealformal: codes.default([1001, 1110, 1130, 1140, 1150, 1160, 1300, 1800]),
        builtArealbruk: codes.default([100, 101, 102, 110, 120, 130, 131, 132, 133, 134, 150, 190]),
      })
      .prefault({})
      .refine((s) => s.zeroScoreM > s.fullScoreM, 'zeroScoreM must be above fullScoreM'),
    eierstruktur: z
      .object({
        /**
         * Value by the number of owners (or properties while owners are unknown) the opportunity
         * spans: the first step whose `upTo` is at or above the count; beyond the last, `beyond`.
         */
        steps: z
          .array(z.object({ upTo: z.number().int().min(1), value: fraction }))
          .min(1)
          .default([
            { upTo: 1, value: 1 },
            { upTo: 2, value: 0.8 },
            { upTo: 3, value: 0.65 },
            { upTo: 5, value: 0.45 },
            { upTo: 9, value: 0.25 },
          ])
          .refine(
            (steps) =>
              steps.every(
                (s, i) => i === 0 || (s.upTo > steps[i - 1]!.upTo && s.value <= steps[i - 1]!.value),
              ),
            'steps must rise in upTo and not rise in value',
          ),
        beyond: fraction.default(0.1),
      })
      .prefault({}),
    constraints: z
      .object({
        types: constraintTypesSchema,
        /** Reguleringsplan hensynssoner count on the ground only (2) or without vertikalnivå. */
        vertikalniva: codes.default([2]),
        /** Hensynssoner of plans in these statuses count (proposals too: a hazard is a hazard). */
        planstatus: codes.default([1, 2, 3, 6]),
        /**
         * Land under a severe constraint (flood, landslide, naturvern, red noise …) is not counted as
         * buildable for Størrelse and Kapasitet: a lot wholly in a flood zone holds no homes.
         */
        severeIsUnbuildable: z.boolean().default(true),
        /** Less covered than this (m²) is a digitising sliver along a shared edge, not a constraint. */
        minCoveredM2: z.number().min(0).default(10),
        /** Extra constraint layers per kommune (NVE, protected areas, farmland). */
        extraLayers: z.record(kommunenummer, z.array(extraLayerSchema)).default({}),
        /** National layers fetched for every kommune (NVE, Riksantikvaren, Miljødirektoratet, noise, AR5). */
        nationalLayers: nationalLayerRulesSchema,
      })
      .prefault({ types: undefined })
      .superRefine((c, ctx) => {
        for (const [knr, layers] of Object.entries(c.extraLayers)) {
          layers.forEach((layer, i) => {
            if (!(layer.constraint in c.types))
              ctx.addIssue({
                code: 'custom',
                path: ['extraLayers', knr, i, 'constraint'],
                message: `unknown constraint "${layer.constraint}" (define it under constraints.types)`,
              });
          });
        }
      }),
    capacity: z
      .object({
        /**
         * Net-to-gross (issue 16): the share of a lot that internal roads, play and outdoor areas and
         * surface parking take before homes are built. A percentage utnytting (%-BYA, %-BRA, U-grad)
         * is of the net building land; m² figures for the whole field are not reduced.
         */
        deductions: z
          .object({
            roads: fraction.default(0.1),
            playAreas: fraction.default(0.1),
            parking: fraction.default(0.05),
          })
          .prefault({})
          .refine((d) => d.roads + d.playAreas + d.parking < 1, 'the deductions must leave some land'),
        /** Share of the gross floor area (BRA) that is homes' own usable area (BRA-i / P-rom). */
        usableShareOfBra: fraction.default(0.8),
        /** Storeys assumed where the plan limits the footprint (BYA) only, by density class. */
        storeysForBya: z
          .object({
            storby: z.number().positive().max(30).default(4),
            by: z.number().positive().max(30).default(2.5),
            bygd: z.number().positive().max(30).default(2),
          })
          .prefault({}),
        /** Average home size (usable area, m², as SSB 06035's prices per m²), by density class. */
        averageHomeM2: z
          .object({
            storby: z.number().positive().default(70),
            by: z.number().positive().default(90),
            bygd: z.number().positive().default(120),
          })
          .prefault({}),
        /** The customer's rule of thumb, shown beside every estimate as a cross-check: m² of land per home. */
        ruleOfThumbM2PerHome: z.number().positive().default(400),
        /**
         * Homes per daa (gross, roads and play areas included) by arealformål where the zone gives
         * no utnytting; the first group that lists the zone's code wins, `otherHomesPerDaa` for the rest.
         */
        densityGroups: z.array(densityGroupSchema).default([
          {
            name: 'Boligbebyggelse',
            arealformal: [1110],
            arealbruk: [110],
            homesPerDaa: { storby: 8, by: 5, bygd: 2.5 },
          },
          {
            name: 'Sentrumsformål',
            arealformal: [1130],
            arealbruk: [120],
            homesPerDaa: { storby: 20, by: 12, bygd: 6 },
          },
          {
            name: 'Kombinert bebyggelse',
            arealformal: [1800],
            arealbruk: [],
            homesPerDaa: { storby: 12, by: 8, bygd: 4 },
          },
          {
            name: 'Bebyggelse og anlegg',
            arealformal: [1000, 1001],
            arealbruk: [100, 101, 102],
            homesPerDaa: { storby: 6, by: 4, bygd: 2 },
          },
        ]),
        otherHomesPerDaa: densitySchema.default({ storby: 4, by: 3, bygd: 1.5 }),
        /**
         * Density class by SSB's centrality class (KLASS 128, 1 most central – 6 least), fetched with
         * the kommune ranking.
         */
        centralityClasses: z
          .object({
            '1': z.enum(KOMMUNE_CLASSES).default('storby'),
            '2': z.enum(KOMMUNE_CLASSES).default('storby'),
            '3': z.enum(KOMMUNE_CLASSES).default('by'),
            '4': z.enum(KOMMUNE_CLASSES).default('by'),
            '5': z.enum(KOMMUNE_CLASSES).default('bygd'),
            '6': z.enum(KOMMUNE_CLASSES).default('bygd'),
          })
          .prefault({}),
        /** A kommune's density class set by hand: wins over its centrality class. */
        kommuneClass: z.record(kommunenummer, z.enum(KOMMUNE_CLASSES)).default({}),
        /** Without a class set by hand or a centrality class. */
        defaultKommuneClass: z.enum(KOMMUNE_CLASSES).default('by'),
      })
      .prefault({}),
    /**
     * The estimated value (issue 16), never part of the score: sales value = homes × average home
     * size × the kommune's price per m² (SSB 06035); the land value a band of shares of it.
     */
    value: z
      .object({
        landShareLow: fraction.default(0.15),
        landShareHigh: fraction.default(0.25),
      })
      .prefault({})
      .refine((v) => v.landShareHigh >= v.landShareLow, 'landShareHigh must be at least landShareLow'),
    confidence: z
      .object({
        /**
         * A source has no data for the kommune (`coverage` 'not-covered'). Above all reguleringsplan:
         * the lot may already be regulated without our seeing it, so never High.
         */
        sourceNotCovered: cap('low'),
        /** A source's coverage of the kommune is not known. */
        coverageUnknown: cap('medium'),
        zoneRepaired: cap('medium'),
        planInProgress: cap('medium'),
        /** Any factor without data caps at this… */
        missingFactor: cap('medium'),
        /** …and at Low when missing factors carry more than this share of the weight. */
        missingShareForLow: fraction.default(0.2),
        /** Sentralitet measured from the kommune's representative point: no configured centre, no tettsted. */
        fallbackCentre: cap('medium'),
        /** The zone names an utnytting type but the source lost the number. */
        utnyttingLost: cap('medium'),
        /** No stop data for the kommune (Entur failed and nothing cached): Sentralitet from the centre only. */
        transitUnavailable: cap('medium'),
        /** A national layer (flood, quick clay, heritage …) could not be checked for the kommune. */
        layerNotChecked: cap('medium'),
        /** Part of the lot lies outside every NVE mapping of a hazard (flood, landslide, quick clay). */
        hazardNotMapped: cap('medium'),
      })
      .prefault({}),
  })
  .prefault({});

export type LotScoreRules = z.infer<typeof lotScoreRulesSchema>;
