import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tierOf } from '../../sync/src/presentation/index.js';
import { EiereField, TomterField as F } from '../../sync/src/crm/schema/index.js';
import { scoreDetails } from '../extension/fixtures/lots.js';
import type { Row } from '../extension/fixtures/row.js';
import { seeded } from '../../scripts/sample/random.js';

/**
 * Generated lots for the extension's browser test: parcel-sized polygons (EPSG:4326) in
 * clusters inside real kommune outlines (Kartverket, see test/fixtures/reference), scores over
 * every tier, statuses, plans in progress, and a few missing or broken geometries.
 * Deterministic for a seed; no real parcel or owner.
 */
type LonLat = [number, number];
type Ring = LonLat[];

interface Kommune {
  nummer: string;
  navn: string;
  outer: Ring;
  bbox: [number, number, number, number];
}

const KOMMUNER_FILE = fileURLToPath(new URL('../../sync/data/kommuner-2024-S.geojson', import.meta.url));

function ringArea(ring: Ring): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    sum += (ring[j]![0] - ring[i]![0]) * (ring[j]![1] + ring[i]![1]);
  }
  return Math.abs(sum / 2);
}

function inRing([x, y]: LonLat, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function loadKommuner(): Kommune[] {
  const collection = JSON.parse(readFileSync(KOMMUNER_FILE, 'utf8')) as {
    features: Array<{
      properties: { kommunenummer: string; kommunenavn: string };
      geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown };
    }>;
  };
  return collection.features.map(({ properties, geometry }) => {
    const polygons = (
      geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates
    ) as Ring[][];
    const outer = polygons.map((p) => p[0]!).sort((a, b) => ringArea(b) - ringArea(a))[0]!;
    const bbox: Kommune['bbox'] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const [x, y] of outer) {
      bbox[0] = Math.min(bbox[0], x);
      bbox[1] = Math.min(bbox[1], y);
      bbox[2] = Math.max(bbox[2], x);
      bbox[3] = Math.max(bbox[3], y);
    }
    return { nummer: properties.kommunenummer, navn: properties.kommunenavn, outer, bbox };
  });
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;

/** A point some metres east and north of another. */
const offset = ([lon, lat]: LonLat, east: number, north: number): LonLat => [
  round(lon + east / (111_320 * Math.cos((lat * Math.PI) / 180))),
  round(lat + north / 111_320),
];

/** A parcel-like quadrilateral (or an L) of about w × h metres, rotated and a little uneven. */
function parcelRing(
  center: LonLat,
  w: number,
  h: number,
  angle: number,
  random: () => number,
  lShape: boolean,
): Ring {
  const corners: Array<[number, number]> = lShape
    ? [
        [-w / 2, -h / 2],
        [w / 2, -h / 2],
        [w / 2, 0],
        [0, 0],
        [0, h / 2],
        [-w / 2, h / 2],
      ]
    : [
        [-w / 2, -h / 2],
        [w / 2, -h / 2],
        [w / 2, h / 2],
        [-w / 2, h / 2],
      ];
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const ring = corners.map(([x, y]) => {
    const jx = x + (random() - 0.5) * w * 0.12;
    const jy = y + (random() - 0.5) * h * 0.12;
    return offset(center, jx * cos - jy * sin, jx * sin + jy * cos);
  });
  return [...ring, ring[0]!];
}

function areaM2(ring: Ring): number {
  const kx = 111_320 * Math.cos((ring[0]![1] * Math.PI) / 180);
  return ringArea(ring.map(([x, y]) => [x * kx, y * 111_320] as LonLat));
}

const STATUSES = [
  'Ny',
  'Ny',
  'Ny',
  'Ny',
  'Identifisert',
  'Kontaktet',
  'Dialog',
  'LOI',
  'Avvist',
  'Ikke aktuell',
];
const CONFIDENCE = ['Høy', 'Middels', 'Middels', 'Lav'];

export interface GeneratedBase {
  lots: Row[];
  owners: Row[];
}

/** `count` lots in zones of 10–30 lots, each zone inside a randomly chosen kommune. */
export function generateLots(count: number, seed = 8): GeneratedBase {
  const random = seeded(seed);
  const kommuner = loadKommuner().filter((k) => k.outer.length >= 4);
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)]!;
  const lots: Row[] = [];
  let gnr = 1;
  while (lots.length < count) {
    const kommune = pick(kommuner);
    let center: LonLat | null = null;
    for (let tries = 0; tries < 200 && !center; tries++) {
      const p: LonLat = [
        kommune.bbox[0] + random() * (kommune.bbox[2] - kommune.bbox[0]),
        kommune.bbox[1] + random() * (kommune.bbox[3] - kommune.bbox[1]),
      ];
      if (inRing(p, kommune.outer)) center = p;
    }
    if (!center) continue;
    // A kommuneplan zone split by parcels: a jittered grid of lots.
    const perZone = Math.min(count - lots.length, 10 + Math.floor(random() * 21));
    const columns = Math.ceil(Math.sqrt(perZone));
    const cell = 70 + random() * 60;
    const zoneId = Math.floor(random() * 1e6).toString(36);
    gnr += 1;
    for (let i = 0; i < perZone; i++) {
      const at = offset(center, (i % columns) * cell, Math.floor(i / columns) * cell);
      const w = cell * (0.55 + random() * 0.35);
      const h = cell * (0.55 + random() * 0.35);
      const shape = random();
      const outer = parcelRing(at, w, h, random() * 0.4, random, shape < 0.06);
      let geometry: object = { type: 'Polygon', coordinates: [outer] };
      if (shape > 0.98) {
        const second = parcelRing(offset(at, cell * 0.45, 0), w * 0.3, h * 0.3, 0, random, false);
        geometry = { type: 'MultiPolygon', coordinates: [[outer], [second]] };
      } else if (shape > 0.96) {
        const hole = parcelRing(at, w * 0.25, h * 0.25, 0, random, false).reverse();
        geometry = { type: 'Polygon', coordinates: [outer, hole] };
      }
      const n = lots.length;
      const broken = n % 200 === 17 ? 'missing' : n % 331 === 5 ? 'invalid' : null;
      const score = n % 50 === 3 ? null : Math.round(5 + random() * 93);
      const bnr = i + 1;
      const matrikkel = `${gnr}/${bnr}`;
      const area = Math.round(areaM2(outer));
      lots.push({
        id: `rec${String(n).padStart(14, '0')}`,
        fields: {
          [F.tomtId]: `${kommune.nummer}-${matrikkel}-${zoneId}`,
          [F.kommunenummer]: kommune.nummer,
          [F.kommune]: kommune.navn,
          [F.matrikkelnummer]: matrikkel,
          [F.gnr]: gnr,
          [F.bnr]: bnr,
          [F.arealM2]: area,
          [F.arealDaa]: Math.round(area / 100) / 10,
          [F.arealformal]: 'Boligbebyggelse (1110)',
          [F.arealbruksstatus]: random() < 0.8 ? 'Framtidig' : 'Videreutvikling av nåværende',
          [F.score]: score,
          [F.klasse]: score === null ? null : tierOf(score),
          [F.scoredetaljer]: score === null ? null : JSON.stringify(scoreDetails(score)),
          [F.estimerteBoliger]: Math.max(1, Math.round(area / 250)),
          [F.kapasitetsmetode]: '%-BYA',
          [F.konfidens]: pick(CONFIDENCE),
          [F.status]: pick(STATUSES),
          [F.planarbeidPagar]:
            random() < 0.1 ? `${kommune.nummer}-2024${String(n % 1000).padStart(3, '0')}` : null,
          [F.geometri]:
            broken === 'missing'
              ? null
              : broken === 'invalid'
                ? JSON.stringify(geometry).slice(0, 40)
                : JSON.stringify(geometry),
          [F.seeiendom]: `https://seeiendom.kartverket.no/eiendom/${kommune.nummer}/${gnr}/${bnr}/0/0`,
          [F.norgeskart]: `https://norgeskart.no/#!?zoom=17&lon=${at[0]}&lat=${at[1]}`,
        },
      });
    }
  }
  // An owner the browser test links to a lot when it plays the lookup service; fictitious.
  const owners: Row[] = [
    {
      id: 'recOwner00000001',
      fields: {
        [EiereField.eierId]: 'generert-1',
        [EiereField.navn]: 'Testeiendom AS',
        [EiereField.type]: 'Organisasjon',
        [EiereField.andel]: '1/1',
      },
    },
  ];
  return { lots, owners };
}
