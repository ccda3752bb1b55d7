import { readFileSync } from 'node:fs';
import path from 'node:path';
import { transformFor } from '../../../sync/src/geo/crs.js';

/** A feature as NAP's OGC API / GetFeatureInfo writes it: flat dotted properties, EPSG:25833. */
export interface NapFeature {
  type: 'Feature';
  id: string | number;
  geometry: { type: 'Polygon'; coordinates: number[][][] };
  properties: Record<string, string | number | null>;
}

/** The recorded vn1 answer at Bergen 167/714: its property sets are the templates for generated features. */
const recorded = JSON.parse(
  readFileSync(path.resolve('test/fixtures/reference/nap-gfi-vn1-bergen-167-714.json'), 'utf8'),
) as { features: NapFeature[] };
const TEMPLATE = Object.fromEntries(
  recorded.features.map((f) => [String(f.properties.objekttypenavn), f.properties]),
);

/** A point inside a kommune in EPSG:25833 from lon/lat. */
export function utm33(lon: number, lat: number): [number, number] {
  return transformFor(4326, 25833)([lon, lat]) as [number, number];
}

function square(x: number, y: number, size: number): NapFeature['geometry'] {
  return {
    type: 'Polygon',
    coordinates: [
      [
        [x, y],
        [x + size, y],
        [x + size, y + size],
        [x, y + size],
        [x, y],
      ],
    ],
  };
}

export interface GeneratedPlans {
  kommuneplan: NapFeature[];
  reguleringsplan: NapFeature[];
}

/**
 * A generated (not real) kommune's plan data in NAP's shape: one KpOmråde over the area,
 * `zones` KpArealformålOmråde squares (1110 framtidig, 1130, 5100 in turn), a KpFareSone, and
 * `plans` reguleringsplaner (RpOmråde + RpArealformålOmråde). `version` changes the plan names,
 * as a kommune's data changes between two nights.
 */
export function generatePlans(
  kommune: string,
  origin: [number, number],
  options: { zones: number; plans: number; version?: number },
): GeneratedPlans {
  const [x0, y0] = origin;
  const v = options.version ?? 1;
  let next = Number(kommune) * 100_000;
  // Deterministic ids: the same kommune generates the same objid sequence, whatever its version.
  const objid = () => next++;
  function feature(
    type: string,
    kommune: string,
    plan: string,
    lokalId: string,
    geometry: NapFeature['geometry'],
    own: Record<string, string | null>,
  ): NapFeature {
    const base = TEMPLATE[type] ?? TEMPLATE['RpOmråde']!;
    const properties: Record<string, string | number | null> = {};
    for (const key of Object.keys(base)) properties[key] = null;
    Object.assign(properties, {
      objid: objid(),
      objekttypenavn: type,
      'arealplanId.kommunenummer': kommune,
      'arealplanId.planidentifikasjon': plan,
      'identifikasjon.lokalId': lokalId,
      'identifikasjon.navnerom': `http://data.geonorge.no/${kommune}/${type.startsWith('Kp') ? 'Kommuneplaner' : 'Reguleringsplaner'}/so`,
      'kopidata.områdeId': kommune,
      'kopidata.originalDatavert': 'Generert testkommune',
      'kopidata.kopidato': '2026-02-19T13:18:23.189Z',
      ...own,
    });
    return { type: 'Feature', id: `${type.toLowerCase()}.${properties.objid}`, geometry, properties };
  }
  const kpPlan = `${kommune}2020`;
  const side = Math.ceil(Math.sqrt(options.zones));
  const kommuneplan: NapFeature[] = [
    feature('KpOmråde', kommune, kpPlan, `kp-${kommune}`, square(x0, y0, side * 300 + 300), {
      plantype: '20',
      planstatus: '3',
      plannavn: `Kommuneplanens arealdel (generert, v${v})`,
      ikrafttredelsesdato: '2021-06-17Z',
      lovreferanse: '6',
    }),
  ];
  const formal = ['1110', '1130', '5100'];
  for (let i = 0; i < options.zones; i++) {
    kommuneplan.push(
      feature(
        'KpArealformålOmråde',
        kommune,
        kpPlan,
        `kpaf-${kommune}-${i}`,
        square(x0 + (i % side) * 300, y0 + Math.floor(i / side) * 300, 250),
        {
          arealformål: formal[i % formal.length]!,
          arealbruksstatus: '2',
          områdenavn: `B${i + 1}`,
        },
      ),
    );
  }
  kommuneplan.push(
    feature('KpFareSone', kommune, kpPlan, `kpfare-${kommune}`, square(x0, y0, 120), {
      fare: '320',
      hensynSonenavn: 'H320_1',
    }),
  );
  const reguleringsplan: NapFeature[] = [];
  for (let i = 0; i < options.plans; i++) {
    const plan = `${kommune}${String(1000 + i)}`;
    const geometry = square(x0 + (i % side) * 300 + 20, y0 + Math.floor(i / side) * 300 + 20, 100);
    reguleringsplan.push(
      feature('RpOmråde', kommune, plan, `rp-${plan}`, geometry, {
        plantype: '35',
        planstatus: '3',
        plannavn: `Detaljregulering ${i + 1} (generert, v${v})`,
        ikrafttredelsesdato: '2019-03-01Z',
        lovreferanse: '6',
        vertikalnivå: '2',
      }),
      feature('RpArealformålOmråde', kommune, plan, `rpaf-${plan}`, geometry, {
        arealformål: '1111',
        feltbetegnelse: `BFS${i + 1}`,
        vertikalnivå: '2',
      }),
    );
  }
  return { kommuneplan, reguleringsplan };
}
