import { PARTY_LABELS } from '../../../sync/src/sources/ssb/snapshot.js';
import { kommuner2024, population, votes2023AllLists } from './fixtures.js';
import { normal, uniform } from '../../../scripts/sample/random.js';

/**
 * The factor tables the SSB double serves. 07459 (population, agg_KommSummer) carries the real
 * figures bundled in test/fixtures/reference/ssb and 01180 the real 2023 extract of the snapshot
 * (every list code, 2024 kommune codes); the others are generated, seeded and plausibly
 * distributed (larger, growing kommuner build more, earn more and pay more per m²), with SSB's
 * gaps: ":" where few sales, ".." where no figure.
 *
 * Shapes follow the evidence (issue 12, point 4): 07984 as the real extract has it (næring with
 * 00-99 "Alle næringer", age 15-74 only) on `agg_KommSummerS` with "K." codes (as 08536 offers
 * it); 14746 with ContentsCode "Personer" and the alternatives in a variable of their own; 05940
 * with Igangsatte and Fullforte. Where no real metadata was seen (14746's alternative variable
 * code, 06035's Boligtype meanings, 05940's Byggeareal, 07984's ContentsCode) the double uses
 * labelled placeholders: the client must find them by label, as it must with the real tables.
 */

export type DoubleCell = number | null | { value: number | null; status: string };

export interface DoubleVariable {
  code: string;
  label: string;
  elimination: boolean;
  values: Array<{ code: string; label: string }>;
  codelists?: Array<{ id: string; label: string; type: 'Aggregation' | 'Valueset' }>;
  /** Share of the total per category, used when an eliminable variable is selected. */
  shares?: Record<string, number>;
}

export interface DoubleTable {
  id: string;
  label: string;
  timeUnit: 'Annual';
  updated: string;
  variables: DoubleVariable[];
  /** The figure at these coordinates; Region is today's kommunenummer for agg_KommSummer, else the code asked. */
  value(coords: Record<string, string>): DoubleCell;
  discontinued?: boolean;
}

export const KOMM_SUMMER_LIST = {
  id: 'agg_KommSummer',
  label: 'Kommuner 2024, sammenslåtte tidsserier',
  type: 'Aggregation',
} as const;

/** The same kommuner as a second codelist with "K." codes, as 07984 and 08536 offer it. */
export const KOMM_SUMMER_S_LIST = {
  id: 'agg_KommSummerS',
  label: 'Kommuner 2024, sammenslåtte tidsserier',
  type: 'Aggregation',
} as const;

/** Both codelists with the prefix of their group codes ("K-0301", "K.0301"). */
export const KOMM_SUMMER_LISTS = [
  { ...KOMM_SUMMER_LIST, prefix: 'K-' },
  { ...KOMM_SUMMER_S_LIST, prefix: 'K.' },
];

const years = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
const timeVar = (codes: string[]): DoubleVariable => ({
  code: 'Tid',
  label: 'år',
  elimination: false,
  values: codes.map((c) => ({ code: c, label: c })),
});
const contentsVar = (values: Array<[string, string]>): DoubleVariable => ({
  code: 'ContentsCode',
  label: 'statistikkvariabel',
  elimination: false,
  values: values.map(([code, label]) => ({ code, label })),
});
const kjonn: DoubleVariable = {
  code: 'Kjonn',
  label: 'kjønn',
  elimination: true,
  values: [
    { code: '1', label: 'Menn' },
    { code: '2', label: 'Kvinner' },
  ],
  shares: { '1': 0.505, '2': 0.495 },
};

export interface DoubleWorld {
  kommuner: Array<{ nr: string; navn: string }>;
  names: Map<string, string>;
  population: Map<string, Map<number, number>>;
  tables: Map<string, DoubleTable>;
}

/** A kommune's size and growth, the two traits the generated figures lean on. */
function traits(world: Pick<DoubleWorld, 'population'>, nr: string) {
  const pop = world.population.get(nr);
  const p26 = pop?.get(2026) ?? 1000;
  // agg_KommSummer reports 0 before a split (Haram before 2024): grow from the first real year.
  const fromYear = [2021, 2022, 2023, 2024, 2025].find((y) => (pop?.get(y) ?? 0) > 0) ?? 2026;
  const start = pop?.get(fromYear) ?? p26;
  const growth = fromYear < 2026 ? (p26 / start) ** (1 / (2026 - fromYear)) - 1 : 0;
  const centrality = Math.min(1, Math.max(0, (Math.log10(p26) - 2.3) / 3.5)); // Utsira ~0, Oslo ~1
  return { p26, growth, centrality };
}

export function buildWorld(seed = 1): DoubleWorld {
  const kommuner = kommuner2024();
  const names = new Map(kommuner.map((k) => [k.nr, k.navn]));
  const pop = population();
  const votes = votes2023AllLists();
  const world: DoubleWorld = {
    kommuner,
    names,
    population: pop,
    tables: new Map(),
  };
  const regionValues = kommuner.map((k) => ({ code: k.nr, label: k.navn }));

  const region = (
    extraValues: Array<{ code: string; label: string }> = [],
    kommSummer = true,
  ): DoubleVariable => ({
    code: 'Region',
    label: 'region',
    elimination: true,
    values: [{ code: '0', label: 'Hele landet' }, ...regionValues, ...extraValues],
    codelists: kommSummer
      ? [KOMM_SUMMER_LIST, { id: 'vs_Kommun', label: 'Kommuner (alle historiske)', type: 'Valueset' }]
      : [{ id: 'vs_Kommun', label: 'Kommuner (alle historiske)', type: 'Valueset' }],
  });

  // 07459: real population.
  world.tables.set('07459', {
    id: '07459',
    label: '07459: Befolkning, etter region, kjønn, alder, statistikkvariabel og år',
    timeUnit: 'Annual',
    updated: '2026-02-25T07:00:00Z',
    variables: [
      region(),
      kjonn,
      {
        code: 'Alder',
        label: 'alder',
        elimination: true,
        values: [
          { code: '000-019', label: '0-19 år' },
          { code: '020-066', label: '20-66 år' },
          { code: '067+', label: '67 år eller eldre' },
        ],
        shares: { '000-019': 0.23, '020-066': 0.58, '067+': 0.19 },
      },
      contentsVar([['Personer1', 'Personer']]),
      timeVar(years(2014, 2026)),
    ],
    value: ({ Region, Tid }) => pop.get(Region!)?.get(Number(Tid)) ?? { value: null, status: '.' },
  });

  // 14746: projections to 2050; ContentsCode "Personer" and the alternative in a variable of its
  // own (nine alternatives in the real table; four here), found by label (Hovedalternativet).
  const alternatives: Array<[string, string, number]> = [
    ['LLML', 'Lav nasjonal vekst (LLML)', 0.4],
    ['MMMM', 'Hovedalternativet (MMMM)', 1],
    ['HHMH', 'Høy nasjonal vekst (HHMH)', 1.7],
    ['MMM0', 'Null innvandring (MMM0)', 0.1],
  ];
  world.tables.set('14746', {
    id: '14746',
    label: '14746: Framskrevet folkemengde 1. januar, etter region, kjønn, alder, statistikkvariabel og år',
    timeUnit: 'Annual',
    updated: '2026-06-12T06:00:00Z',
    variables: [
      region([], false),
      kjonn,
      {
        code: 'Alternativ',
        label: 'alternativ',
        elimination: false,
        values: alternatives.map(([code, label]) => ({ code, label })),
      },
      contentsVar([['Personer', 'Personer']]),
      timeVar(years(2026, 2050)),
    ],
    value: ({ Region, Alternativ, Tid }) => {
      const t = traits(world, Region!);
      if (!pop.has(Region!)) return { value: null, status: '.' };
      const alt = alternatives.find(([c]) => c === Alternativ)?.[2] ?? 1;
      const g = (0.6 * t.growth + 0.002 * normal(`14746:${Region}`, seed) - 0.001) * alt;
      return Math.round(t.p26 * (1 + g) ** (Number(Tid) - 2026));
    },
  });

  // 06035: price per m² by dwelling type; small markets are ":" (confidential) or ".." (no sales).
  const types: Array<[string, string, number, number]> = [
    ['01', 'Eneboliger', 0.85, 0.55],
    ['02', 'Småhus', 1.0, 0.2],
    ['03', 'Blokkleiligheter', 1.25, 0.25],
  ];
  const sales = (nr: string, type: string, year: number) => {
    const t = traits(world, nr);
    const share = types.find(([c]) => c === type)![3];
    const blokk = type === '03' ? Math.max(0, t.centrality - 0.25) * 1.6 : 1;
    return Math.round(
      t.p26 * 0.012 * share * blokk * (0.85 + 0.3 * uniform(`06035:n:${nr}:${type}:${year}`, seed)),
    );
  };
  world.tables.set('06035', {
    id: '06035',
    label: '06035: Selveierboliger, etter region, boligtype, statistikkvariabel og år',
    timeUnit: 'Annual',
    updated: '2026-02-14T07:00:00Z',
    variables: [
      region([], false),
      {
        code: 'Boligtype',
        label: 'boligtype',
        elimination: false,
        values: types.map(([code, label]) => ({ code, label })),
      },
      contentsVar([
        ['KvPris', 'Gjennomsnittlig kvadratmeterpris (kr)'],
        ['Omsetninger', 'Omsetninger (antall)'],
      ]),
      timeVar(years(2015, 2025)),
    ],
    value: ({ Region, Boligtype, ContentsCode, Tid }) => {
      if (!pop.has(Region!)) return { value: null, status: '.' };
      const year = Number(Tid);
      const n = sales(Region!, Boligtype!, year);
      if (ContentsCode === 'Omsetninger') return n;
      if (n === 0) return { value: null, status: '..' };
      if (n < 5) return { value: null, status: ':' };
      const t = traits(world, Region!);
      const level = (14_000 + 62_000 * t.centrality ** 2.2) * (1 + 0.18 * normal(`06035:p:${Region}`, seed));
      const yearly = 0.025 + 0.02 * t.centrality + 0.01 * normal(`06035:g:${Region}`, seed);
      const mult = types.find(([c]) => c === Boligtype)![2];
      return Math.round(level * mult * (1 + yearly) ** (year - 2025));
    },
  });

  // 05940: completed and started dwellings (the Telemark scripts' codes); Byggeareal eliminable.
  world.tables.set('05940', {
    id: '05940',
    label: '05940: Boliger, etter region, bygningstype, statistikkvariabel og år',
    timeUnit: 'Annual',
    updated: '2026-02-19T07:00:00Z',
    variables: [
      region(),
      {
        code: 'Byggeareal',
        label: 'bygningstype',
        elimination: true,
        values: [
          { code: '111', label: 'Enebolig' },
          { code: '130', label: 'Rekkehus, kjedehus og andre småhus' },
          { code: '140', label: 'Store boligbygg' },
        ],
        shares: { '111': 0.35, '130': 0.3, '140': 0.35 },
      },
      contentsVar([
        ['Igangsatte', 'Igangsatte boliger'],
        ['Fullforte', 'Fullførte boliger'],
      ]),
      timeVar(years(2015, 2025)),
    ],
    value: ({ Region, ContentsCode, Tid }) => {
      if (!pop.has(Region!)) return { value: null, status: '.' };
      const t = traits(world, Region!);
      const perThousand = Math.max(
        0,
        2.5 + 350 * t.growth + 1.2 * normal(`05940:${Region}:${Tid}:${ContentsCode}`, seed),
      );
      return Math.round((t.p26 * perThousand) / 1000);
    },
  });

  // 06944: median household income after tax.
  world.tables.set('06944', {
    id: '06944',
    label: '06944: Inntekt for husholdninger, etter region, husholdningstype, statistikkvariabel og år',
    timeUnit: 'Annual',
    updated: '2026-03-20T07:00:00Z',
    variables: [
      region([], false),
      {
        code: 'HusholdType',
        label: 'husholdningstype',
        elimination: false,
        values: [
          { code: '0000', label: 'Alle husholdninger' },
          { code: '0001', label: 'Aleneboende' },
          { code: '0002', label: 'Par uten hjemmeboende barn' },
        ],
      },
      contentsVar([
        ['InntSkatt', 'Inntekt etter skatt, median (kr)'],
        ['AntallHushold', 'Husholdninger (antall)'],
      ]),
      timeVar(years(2015, 2024)),
    ],
    value: ({ Region, HusholdType, ContentsCode, Tid }) => {
      if (!pop.has(Region!)) return { value: null, status: '.' };
      const t = traits(world, Region!);
      if (ContentsCode === 'AntallHushold') return Math.round(t.p26 / 2.1);
      const base =
        (520_000 + 160_000 * t.centrality + 45_000 * normal(`06944:${Region}`, seed)) *
        1.035 ** (Number(Tid) - 2024);
      const mult = HusholdType === '0001' ? 0.52 : HusholdType === '0002' ? 1.2 : 1;
      return Math.round((base * mult) / 100) * 100;
    },
  });

  // 07984: employed persons by place of residence, the shape of the real extract (valg_analyser
  // syss07984_kommuner.csv): næring (00-99 all …), age 15-74 only, and agg_KommSummerS ("K.").
  const employed = (nr: string, year: number) => {
    const people = pop.get(nr)?.get(year) ?? pop.get(nr)?.get(2026) ?? 0;
    const rate =
      0.47 + 0.04 * normal(`07984:r:${nr}`, seed) + 0.003 * (year - 2019) * normal(`07984:g:${nr}`, seed);
    return Math.round(people * rate);
  };
  const industries: Array<[string, string, number]> = [
    ['00-99', 'Alle næringer', 1],
    ['01-03', 'Jordbruk, skogbruk og fiske', 0.03],
    ['10-33', 'Industri', 0.08],
    ['84', 'Offentlig administrasjon og forsvar', 0.06],
    ['85', 'Undervisning', 0.08],
    ['86-88', 'Helse- og sosialtjenester', 0.21],
  ];
  world.tables.set('07984', {
    id: '07984',
    label:
      '07984: Sysselsatte per 4. kvartal, etter region (bosted), næring, kjønn, alder, statistikkvariabel og år',
    timeUnit: 'Annual',
    updated: '2025-06-02T06:00:00Z',
    variables: [
      {
        ...region(),
        codelists: [
          KOMM_SUMMER_S_LIST,
          { id: 'vs_Kommun', label: 'Kommuner (alle historiske)', type: 'Valueset' },
        ],
      },
      {
        code: 'NACE2007',
        label: 'næring (SN2007)',
        elimination: false,
        values: industries.map(([code, label]) => ({ code, label })),
      },
      kjonn,
      { code: 'Alder', label: 'alder', elimination: false, values: [{ code: '15-74', label: '15-74 år' }] },
      contentsVar([['Sysselsatte', 'Sysselsatte personer']]),
      timeVar(years(2015, 2024)),
    ],
    value: ({ Region, NACE2007, Tid }) => {
      if (!pop.has(Region!)) return { value: null, status: '.' };
      const share = industries.find(([c]) => c === NACE2007)?.[2] ?? 1;
      return Math.round(employed(Region!, Number(Tid)) * share);
    },
  });

  // 01180: the real 2023 extract, every list code, the 2024 kommune codes (the election was held
  // for the 2024 structure, Haram 1580 included).
  const parties = [...new Set([...votes.values()].flatMap((byParty) => [...byParty.keys()]))].sort();
  world.tables.set('01180', {
    id: '01180',
    label:
      '01180: Kommunestyrevalget. Godkjente stemmer, etter region, parti/valgliste, statistikkvariabel og år',
    timeUnit: 'Annual',
    updated: '2023-11-08T07:00:00Z',
    variables: [
      {
        code: 'Region',
        label: 'region',
        elimination: false,
        values: regionValues,
        codelists: [
          { id: 'vs_KommunerV', label: 'Kommuner (valg)', type: 'Valueset' },
          { id: 'agg_KommunerV1', label: 'Kommuner 2024-', type: 'Aggregation' },
        ],
      },
      {
        code: 'PolitParti',
        label: 'parti/valgliste',
        elimination: true,
        values: parties.map((code) => ({ code, label: PARTY_LABELS[code] ?? code })),
      },
      contentsVar([['Godkjente1', 'Godkjente stemmer']]),
      timeVar(['2023']),
    ],
    value: ({ Region, PolitParti }) => {
      const byParty = votes.get(Region!);
      if (!byParty) return { value: null, status: '.' };
      if (PolitParti === undefined) return [...byParty.values()].reduce((a, b) => a + b, 0);
      return byParty.get(PolitParti) ?? 0;
    },
  });

  return world;
}
