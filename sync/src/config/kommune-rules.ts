import { z } from 'zod';

const weight = (fallback: number) => z.number().min(0).max(100).default(fallback);
const tableIds = (...fallback: string[]) =>
  z
    .array(z.string().regex(/^\d{5}$/, 'an SSB table id has 5 digits'))
    .min(1)
    .default(fallback);

/**
 * The kommune ranking (issue 5): seven factors from SSB, each normalised by percentile rank and
 * weighted. Weights are relative (they need not sum to 100). Table ids are tried in order: the
 * first that exists and is not discontinued is used, so a replacement table can be named ahead.
 */
export const kommuneRulesSchema = z
  .object({
    weights: z
      .object({
        befolkningsvekst: weight(10),
        framskrevetVekst: weight(10),
        markedsstorrelse: weight(20),
        boligpris: weight(20),
        boligbygging: weight(10),
        inntekt: weight(10),
        sysselsetting: weight(10),
        byggevilje: weight(10),
        partistandpunkt: weight(0),
      })
      .prefault({})
      .refine((w) => Object.values(w).some((v) => v > 0), 'at least one weight must be above 0'),
    tables: z
      .object({
        befolkningsvekst: tableIds('07459'),
        framskrevetVekst: tableIds('14746', '14288'),
        boligpris: tableIds('06035', '14545'),
        boligbygging: tableIds('05940'),
        inntekt: tableIds('06944'),
        sysselsetting: tableIds('07984', '13470'),
        byggevilje: tableIds('05940'),
        partistandpunkt: tableIds('01180'),
      })
      .prefault({}),
    /** How many kommuner get the top flag. */
    topN: z.number().int().min(1).max(357).default(50),
    /**
     * Inhabitants (1 January, latest year) a kommune needs to be flagged top 50. Kommuner below
     * are still ranked and shown, marked. 10,000: below it the whole resale market is a few dozen
     * sales a year (06035 2024: 14 on average under 5,000 inhabitants, 64 at 5–10,000, 147 at
     * 10–20,000), so a project of 100+ homes would take years to sell; 112 kommuner qualify.
     */
    minPopulation: z.number().int().min(0).max(1_000_000).default(10_000),
    /** A kommune needs at least this share of the total weight present to be flagged top. */
    topMinWeightShare: z.number().min(0).max(1).default(0.75),
    /** Confidence drops to "Middels" with any factor missing, to "Lav" when more than this share of the weight is missing. */
    lowConfidenceMissingShare: z.number().min(0).max(1).default(0.25),
    /** Years over which growth (population, employment, house prices) is measured. */
    growthYears: z.number().int().min(1).max(20).default(5),
    /**
     * A yearly change larger than this (0.25 = 25 %) in a growth series, in a year the kommune's
     * boundary did not change, is implausible: the factor is left out for that kommune and flagged.
     */
    maxYearlyChange: z.number().min(0.01).max(5).default(0.25),
    /** The projection year for projected growth. */
    projectionYear: z.number().int().min(2025).max(2060).default(2040),
    /** Completed dwellings are averaged over this many latest years (small kommuner build in bursts). */
    completionsYears: z.number().int().min(1).max(10).default(3),
    /** A level (price, income) missing in the latest year may come from up to this many years before. */
    levelFallbackYears: z.number().int().min(0).max(5).default(2),
    /**
     * Byggevilje's two components, averaged with these weights where a kommune has both: dwellings
     * started per 1,000 inhabitants (05940 `Igangsatte`) and, for the kommuner the nightly run
     * scans, the share of the kommuneplan's housing reserve regulated per year over the engine's
     * `planEvidenceYears` (plan evidence). Each is percentile-ranked among the kommuner that have
     * it; a kommune with only one is scored on that one, so no plan data is no penalty.
     */
    byggeviljeComponents: z
      .object({ started: z.number().min(0).max(100).default(1), plan: z.number().min(0).max(100).default(1) })
      .prefault({}),
    /** Share of the house-price factor given to the price level; the rest goes to its 5-year change. */
    priceLevelShare: z.number().min(0).max(1).default(0.5),
    /**
     * Party stances for the optional council signal (factor `partistandpunkt`, weight 0 by default),
     * by SSB PolitParti code ("01" A, "02" FrP, "03" H, "04" KrF, "05" Sp, "06" SV, "07" V, "08" MDG,
     * "55" Rødt, "91" Lokale lister …), from -1 (against new housing) to 1 (for). None by default:
     * the stances are the user's judgement, not SSB's.
     */
    partyStances: z.record(z.string().regex(/^[0-9A-Za-z]{1,4}$/), z.number().min(-1).max(1)).default({}),
  })
  .prefault({});

export type KommuneRules = z.infer<typeof kommuneRulesSchema>;
