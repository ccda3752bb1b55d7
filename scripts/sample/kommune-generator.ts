/**
 * A deterministic generator of a realistic sample kommune: parcels (teiger), a kommuneplan and
 * reguleringsplaner that behave like real Norwegian plan data. GENERATED, NOT REAL PLANS.
 *
 * How it is realistic:
 * - Parcels tile a jittered grid, so neighbours share exact vertices; roads are left as unparcelled strips.
 * - Kommuneplan zones follow block edges, i.e. the same lines as the parcels, and some cut across farms.
 * - Reguleringsplaner are re-digitised from those lines a few centimetres off (slivers on every edge).
 * - A 1998 kommunedelplan on the old code list (KpArealbrukOmråde), excluded from the 2019 KPA; a 2023
 *   kommunedelplan overlapping the KPA (it governs where it overlaps).
 * - Tunnels and bridges (vertikalnivå 1 and 3), plans without vertikalnivå, plans in progress (1, 2),
 *   repealed plans (4, 5), "reguleringsplan skal fortsatt gjelde" zones (910).
 * - Hensynssoner for the lot score (flood, landslide, noise, cultural heritage, farmland, felles planlegging),
 *   regulated roads, a few self-crossing zone and parcel rings.
 */
import type { PlanFeature, PropertyValue } from '../../sync/src/domain/plan.js';
import { seeded } from './random.js';
import { defaultRules } from '../../sync/src/config/rules.js';
import type { Parcel } from '../../sync/src/domain/parcel.js';
import type { AreaGeometry, PointGeometry, Position, Ring } from '../../sync/src/domain/geometry.js';

/** Which generated zones the engine will take (the default rules), for the generator's own bookkeeping. */
const CANDIDATES = defaultRules().engine.candidates;

export interface GeneratorOptions {
  seed: number;
  kommunenummer: string;
  kommunenavn: string;
  /** South-west corner, EPSG:25833. */
  origin: Position;
  /** Grid size in cells; a cell is `cellM` metres. */
  cols: number;
  rows: number;
  cellM: number;
  /** Block size in cells (a road strip of one cell is on the block's west and south side). */
  blockCols: number;
  blockRows: number;
  /** Extra reguleringsplaner in built-up zones per zone (old plans). */
  builtPlansPerZone: number;
  /** Largest zone side, in blocks. */
  zoneSpan: number;
}

export const SAMPLE_OPTIONS: GeneratorOptions = {
  seed: 3218,
  kommunenummer: '3218',
  kommunenavn: 'Ås',
  origin: [259_000, 6_616_000],
  cols: 150,
  rows: 120,
  cellM: 30,
  blockCols: 6,
  blockRows: 5,
  builtPlansPerZone: 1,
  zoneSpan: 2,
};

/** ≥ 50,000 parcels, ≥ 2,000 zones, ≥ 5,000 plans: the engine benchmark. */
export const LARGE_OPTIONS: GeneratorOptions = {
  seed: 50_000,
  kommunenummer: '3207',
  kommunenavn: 'Nordre Follo',
  origin: [255_000, 6_620_000],
  cols: 600,
  rows: 420,
  cellM: 30,
  blockCols: 6,
  blockRows: 5,
  builtPlansPerZone: 2,
  zoneSpan: 1,
};

export interface GeneratedKommune {
  options: GeneratorOptions;
  kommuneplan: PlanFeature[];
  reguleringsplan: PlanFeature[];
  parcels: Parcel[];
  centre: PointGeometry;
  /** What the generator put in, for tests that check the engine against it. */
  facts: {
    invalidZoneIds: string[];
    invalidTeigIds: string[];
    tunnelPlanIds: string[];
    inProgressPlanIds: string[];
    oldLawZoneIds: string[];
  };
}

/** A cell rectangle [i0, i1) × [j0, j1) on the grid. */
interface CellRect {
  i0: number;
  j0: number;
  i1: number;
  j1: number;
}

export function generateKommune(options: GeneratorOptions): GeneratedKommune {
  const random = seeded(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const chance = (p: number) => random() < p;
  const uuid = () => {
    const hex = () =>
      Math.floor(random() * 0x10000)
        .toString(16)
        .padStart(4, '0');
    return `${hex()}${hex()}-${hex()}-4${hex().slice(1)}-a${hex().slice(1)}-${hex()}${hex()}${hex()}`;
  };
  const { cols, rows, cellM, blockCols, blockRows } = options;
  const kommune = options.kommunenummer;

  // Grid points, jittered so parcels are not perfect squares; neighbours share them exactly.
  const grid: Position[][] = [];
  for (let i = 0; i <= cols; i++) {
    grid.push([]);
    for (let j = 0; j <= rows; j++) {
      const edge = i === 0 || j === 0 || i === cols || j === rows;
      const jitter = edge ? 0 : 0.18 * cellM;
      grid[i]!.push([
        round3(options.origin[0] + i * cellM + (random() - 0.5) * jitter),
        round3(options.origin[1] + j * cellM + (random() - 0.5) * jitter),
      ]);
    }
  }
  const point = (i: number, j: number) => grid[i]![j]!;
  /** The boundary of a cell rectangle through every grid point on it (counter-clockwise, closed). */
  const rectRing = (r: CellRect): Ring => {
    const ring: Ring = [];
    for (let i = r.i0; i < r.i1; i++) ring.push(point(i, r.j0));
    for (let j = r.j0; j < r.j1; j++) ring.push(point(r.i1, j));
    for (let i = r.i1; i > r.i0; i--) ring.push(point(i, r.j1));
    for (let j = r.j1; j > r.j0; j--) ring.push(point(r.i0, j));
    ring.push(ring[0]!);
    return ring;
  };
  /** An axis-aligned polygon through the given grid corners (closed), with every grid point on its edges. */
  const orthogonalRing = (corners: Array<[number, number]>): Ring => {
    const ring: Ring = [];
    for (let k = 0; k < corners.length; k++) {
      const [ia, ja] = corners[k]!;
      const [ib, jb] = corners[(k + 1) % corners.length]!;
      const steps = Math.max(Math.abs(ib - ia), Math.abs(jb - ja));
      for (let t = 0; t < steps; t++) {
        ring.push(point(ia + Math.sign(ib - ia) * t, ja + Math.sign(jb - ja) * t));
      }
    }
    ring.push(ring[0]!);
    return ring;
  };
  /** The same boundary re-digitised by someone else: every vertex a few centimetres off. */
  const redigitised = (ring: Ring): Ring => {
    const moved = ring
      .slice(0, -1)
      .map((p): Position => [round3(p[0] + (random() - 0.5) * 0.06), round3(p[1] + (random() - 0.5) * 0.06)]);
    moved.push(moved[0]!);
    return moved;
  };
  const polygon = (ring: Ring): AreaGeometry => ({ type: 'Polygon', coordinates: [ring] });

  // ---------------------------------------------------------------- parcels
  const parcels: Parcel[] = [];
  const invalidTeigIds: string[] = [];
  let gnr = 1;
  let teigId = 100_000_000 + options.seed * 1000;
  const blocksX = Math.floor(cols / blockCols);
  const blocksY = Math.floor(rows / blockRows);
  const addParcel = (r: CellRect, bnr: number, farm: boolean, currentGnr: number) => {
    let ring = rectRing(r);
    teigId += 1;
    if (!farm && chance(0.002) && ring.length > 5) {
      // A self-crossing ring, as digitised parcels sometimes are: swap two neighbouring vertices.
      const k = 1 + Math.floor(random() * (ring.length - 3));
      ring = [...ring];
      [ring[k], ring[k + 1]] = [ring[k + 1]!, ring[k]!];
      invalidTeigIds.push(String(teigId));
    }
    const matrikkelnummertekst = `${currentGnr}/${bnr}`;
    parcels.push({
      teigId: String(teigId),
      kommunenummer: kommune,
      matrikkelnummertekst,
      matrikkelenheter: [{ kommunenummer: kommune, gnr: currentGnr, bnr, fnr: 0, snr: 0 }],
      matrikkelenhetId: String(200_000_000 + teigId - 100_000_000),
      lagretArealM2: null,
      geometry: polygon(ring),
    });
  };
  const farmBlocks = new Set<number>();
  for (let bx = 0; bx < blocksX; bx++) {
    for (let by = 0; by < blocksY; by++) {
      // Block interior: one road cell on its west and south side stays unparcelled.
      const inner: CellRect = {
        i0: bx * blockCols + 1,
        j0: by * blockRows + 1,
        i1: (bx + 1) * blockCols,
        j1: (by + 1) * blockRows,
      };
      const currentGnr = gnr++;
      let bnr = 1;
      if (chance(0.35)) {
        farmBlocks.add(bx * blocksY + by);
        // A farm: the block in one or two parcels.
        if (chance(0.5)) addParcel(inner, bnr++, true, currentGnr);
        else {
          const split = inner.i0 + 1 + Math.floor(random() * (inner.i1 - inner.i0 - 1));
          addParcel({ ...inner, i1: split }, bnr++, true, currentGnr);
          addParcel({ ...inner, i0: split }, bnr++, true, currentGnr);
        }
        continue;
      }
      // Houses: one- and two-cell parcels tiling the block; now and then a property owns a second teig.
      const taken = new Set<string>();
      const free = (i: number, j: number) => i < inner.i1 && j < inner.j1 && !taken.has(`${i},${j}`);
      for (let j = inner.j0; j < inner.j1; j++) {
        for (let i = inner.i0; i < inner.i1; i++) {
          if (!free(i, j)) continue;
          const width = free(i + 1, j) && chance(0.55) ? 2 : 1;
          const height = free(i, j + 1) && (width === 1 || free(i + 1, j + 1)) && chance(0.15) ? 2 : 1;
          for (let di = 0; di < width; di++)
            for (let dj = 0; dj < height; dj++) taken.add(`${i + di},${j + dj}`);
          const sameProperty = bnr > 1 && chance(0.03);
          addParcel(
            { i0: i, j0: j, i1: i + width, j1: j + height },
            sameProperty ? bnr - 1 : bnr++,
            false,
            currentGnr,
          );
        }
      }
    }
  }

  // ---------------------------------------------------------------- kommuneplan
  const kommuneplan: PlanFeature[] = [];
  const kpaId = '2019001';
  const oldPlanId = '1998004';
  const newPlanId = '2023002';
  const common = (
    planidentifikasjon: string,
    extra: Record<string, PropertyValue>,
  ): Record<string, PropertyValue> => ({
    'arealplanId.kommunenummer': kommune,
    'arealplanId.landkode': 'NO',
    'arealplanId.planidentifikasjon': planidentifikasjon,
    'identifikasjon.lokalId': uuid(),
    'identifikasjon.navnerom': `http://data.geonorge.no/${kommune}/Kommuneplaner/so`,
    'identifikasjon.versjonId': null,
    'kopidata.originalDatavert': 'GENERERT EKSEMPEL – ikke ekte plandata',
    ...extra,
  });
  const zoneBlocksX = blocksX;
  const zoneBlocksY = blocksY;
  // The old kommunedelplan: a block range in the north-west; the new one overlaps the KPA in the south-east.
  const oldArea = {
    bx0: 0,
    by0: Math.floor(zoneBlocksY * 0.7),
    bx1: Math.floor(zoneBlocksX * 0.25),
    by1: zoneBlocksY,
  };
  const newArea = {
    bx0: Math.floor(zoneBlocksX * 0.7),
    by0: 0,
    bx1: zoneBlocksX,
    by1: Math.floor(zoneBlocksY * 0.3),
  };
  const blockRect = (bx0: number, by0: number, bx1: number, by1: number): CellRect => ({
    i0: bx0 * blockCols,
    j0: by0 * blockRows,
    i1: bx1 * blockCols,
    j1: by1 * blockRows,
  });
  const all = blockRect(0, 0, zoneBlocksX, zoneBlocksY);
  const oldRect = blockRect(oldArea.bx0, oldArea.by0, oldArea.bx1, oldArea.by1);
  kommuneplan.push({
    objekttypenavn: 'KpOmråde',
    properties: common(kpaId, {
      plantype: '20',
      planstatus: '3',
      plannavn: `Kommuneplanens arealdel 2019–2031 (generert)`,
      ikrafttredelsesdato: '2019-06-19',
      lovreferanse: '6',
    }),
    // The KPA leaves out the old kommunedelplan's corner: an L-shaped outline.
    geometry: polygon(
      orthogonalRing([
        [all.i0, all.j0],
        [all.i1, all.j0],
        [all.i1, all.j1],
        [oldRect.i1, all.j1],
        [oldRect.i1, oldRect.j0],
        [all.i0, oldRect.j0],
      ]),
    ),
  });
  kommuneplan.push({
    objekttypenavn: 'KpOmråde',
    properties: common(oldPlanId, {
      plantype: '21',
      planstatus: '3',
      plannavn: 'Kommunedelplan for Nordby (1998, generert)',
      ikrafttredelsesdato: '1998-03-11',
      lovreferanse: '4',
    }),
    geometry: polygon(rectRing(oldRect)),
  });
  kommuneplan.push({
    objekttypenavn: 'KpOmråde',
    properties: common(newPlanId, {
      plantype: '21',
      planstatus: '3',
      plannavn: 'Kommunedelplan for stasjonsbyen (2023, generert)',
      ikrafttredelsesdato: '2023-09-27',
      lovreferanse: '6',
    }),
    geometry: polygon(rectRing(blockRect(newArea.bx0, newArea.by0, newArea.bx1, newArea.by1))),
  });

  interface Zone {
    rect: CellRect;
    lokalId: string;
    planId: string;
    oldLaw: boolean;
    candidate: boolean;
    built: boolean;
  }
  const zones: Zone[] = [];
  const invalidZoneIds: string[] = [];
  const oldLawZoneIds: string[] = [];
  const inOld = (bx: number, by: number) =>
    bx >= oldArea.bx0 && bx < oldArea.bx1 && by >= oldArea.by0 && by < oldArea.by1;
  const newFormal: Array<[number, number, number]> = [
    // [arealformål, arealbruksstatus, weight]
    [5100, 1, 30],
    [1110, 1, 22],
    [1110, 2, 14],
    [1110, 3, 4],
    [1800, 2, 5],
    [1130, 3, 3],
    [1130, 1, 3],
    [1001, 2, 2],
    [1300, 1, 6],
    [1300, 2, 3],
    [3001, 1, 5],
    [1160, 1, 3],
  ];
  const oldBruk: Array<[number, number, number]> = [
    [200, 1, 30],
    [110, 1, 25],
    [110, 2, 20],
    [120, 2, 6],
    [102, 2, 5],
    [130, 1, 8],
  ];
  const weighted = (table: Array<[number, number, number]>) => {
    const total = table.reduce((s, t) => s + t[2], 0);
    let r = random() * total;
    for (const row of table) if ((r -= row[2]) < 0) return row;
    return table[0]!;
  };
  const addZones = (
    plan: 'kpa' | 'old' | 'new',
    area: { bx0: number; by0: number; bx1: number; by1: number },
  ) => {
    for (let bx = area.bx0; bx < area.bx1;) {
      const w = Math.min(area.bx1 - bx, 1 + Math.floor(random() * options.zoneSpan));
      for (let by = area.by0; by < area.by1;) {
        const h = Math.min(area.by1 - by, 1 + Math.floor(random() * options.zoneSpan));
        if (plan === 'kpa' && inOld(bx, by)) {
          by += h;
          continue;
        }
        const rect = blockRect(bx, by, bx + w, by + h);
        if (
          plan === 'kpa' &&
          [...Array(w).keys()].some((dx) => [...Array(h).keys()].some((dy) => inOld(bx + dx, by + dy)))
        ) {
          by += h;
          continue;
        }
        const oldLaw = plan === 'old';
        const [code, status] = weighted(oldLaw ? oldBruk : newFormal);
        const lokalId = uuid();
        const planId = plan === 'kpa' ? kpaId : plan === 'old' ? oldPlanId : newPlanId;
        const candidate =
          (oldLaw ? CANDIDATES.arealbruk : CANDIDATES.arealformal).includes(code) &&
          CANDIDATES.arealbruksstatus.includes(status);
        zones.push({
          rect,
          lokalId,
          planId,
          oldLaw,
          candidate,
          built: status === 1 && code !== 5100 && code !== 200,
        });
        let ring = rectRing(rect);
        if (candidate && chance(0.01) && ring.length > 6) {
          const k = 2 + Math.floor(random() * (ring.length - 5));
          ring = [...ring];
          [ring[k], ring[k + 1]] = [ring[k + 1]!, ring[k]!];
          invalidZoneIds.push(lokalId);
        }
        if (oldLaw) oldLawZoneIds.push(lokalId);
        const utnytting: Record<string, PropertyValue> =
          !oldLaw && candidate && chance(0.4)
            ? {
                'utnytting.utnyttingstype': chance(0.7) ? '16' : '18',
                'utnytting.utnyttingstall': pick([20, 25, 30, 35, 40, 60, 90]),
              }
            : {};
        kommuneplan.push({
          objekttypenavn: oldLaw ? 'KpArealbrukOmråde' : 'KpArealformålOmråde',
          properties: {
            ...common(planId, {}),
            'identifikasjon.lokalId': lokalId,
            ...(oldLaw ? { arealbruk: String(code) } : { arealformål: String(code) }),
            arealbruksstatus: String(status),
            områdenavn: candidate ? `${oldLaw ? 'B' : 'BF'}${zones.length}` : null,
            ...utnytting,
          },
          geometry: polygon(ring),
        });
        by += h;
      }
      bx += w;
    }
  };
  addZones('kpa', { bx0: 0, by0: 0, bx1: zoneBlocksX, by1: zoneBlocksY });
  addZones('old', oldArea);
  addZones('new', newArea);

  // ---------------------------------------------------------------- hensynssoner (for the lot score)
  const hensyn = (type: string, codeKey: string, code: string, ring: Ring, name: string) =>
    kommuneplan.push({
      objekttypenavn: type,
      properties: { ...common(kpaId, {}), [codeKey]: code, hensynSonenavn: name },
      geometry: polygon(ring),
    });
  // A river: a flood zone band running north-south through the middle.
  const riverI = Math.floor(cols * 0.45);
  hensyn('KpFareSone', 'fare', '320', rectRing({ i0: riverI, j0: 0, i1: riverI + 4, j1: rows }), 'H320_1');
  hensyn(
    'KpFareSone',
    'fare',
    '310',
    rectRing({ i0: cols - 20, j0: rows - 25, i1: cols, j1: rows }),
    'H310_1',
  );
  // A main road with red and yellow noise zones along it.
  const roadJ = Math.floor(rows * 0.55);
  hensyn('KpStøySone', 'støy', '210', rectRing({ i0: 0, j0: roadJ - 1, i1: cols, j1: roadJ + 2 }), 'H210_1');
  hensyn('KpStøySone', 'støy', '220', rectRing({ i0: 0, j0: roadJ - 4, i1: cols, j1: roadJ - 1 }), 'H220_1');
  hensyn('KpStøySone', 'støy', '220', rectRing({ i0: 0, j0: roadJ + 2, i1: cols, j1: roadJ + 5 }), 'H220_2');
  let hensynCount = 0;
  for (const zone of zones) {
    if (!zone.candidate) continue;
    const { i0, j0, i1, j1 } = zone.rect;
    const sub = { i0: i0 + 1, j0: j0 + 1, i1: Math.min(i1, i0 + 4), j1: Math.min(j1, j0 + 3) };
    const r = random();
    if (r < 0.08) hensyn('KpAngittHensynSone', 'angittHensyn', '570', rectRing(sub), `H570_${++hensynCount}`);
    else if (r < 0.14)
      hensyn('KpAngittHensynSone', 'angittHensyn', '510', rectRing(sub), `H510_${++hensynCount}`);
    else if (r < 0.18)
      hensyn('KpBåndleggingSone', 'båndlegging', '730', rectRing(sub), `H730_${++hensynCount}`);
    else if (r < 0.2)
      hensyn('KpBåndleggingSone', 'båndlegging', '720', rectRing(sub), `H720_${++hensynCount}`);
    else if (r < 0.24)
      hensyn('KpGjennomføringSone', 'gjennomføring', '810', rectRing(zone.rect), `H810_${++hensynCount}`);
    else if (r < 0.27)
      hensyn('KpInfrastrukturSone', 'infrastruktur', '410', rectRing(zone.rect), `H410_${++hensynCount}`);
    else if (r < 0.31 && !zone.oldLaw) {
      // "Reguleringsplan skal fortsatt gjelde": an older plan still governs part of the zone.
      kommuneplan.push({
        objekttypenavn: 'KpDetaljeringSone',
        properties: { ...common(kpaId, {}), detaljering: '910', hensynSonenavn: `H910_${++hensynCount}` },
        geometry: polygon(redigitised(rectRing({ i0, j0, i1: Math.min(i1, i0 + 3), j1 }))),
      });
    }
  }

  // ---------------------------------------------------------------- reguleringsplaner
  const reguleringsplan: PlanFeature[] = [];
  const tunnelPlanIds: string[] = [];
  const inProgressPlanIds: string[] = [];
  let planNumber = 0;
  const addPlan = (
    rect: CellRect,
    planstatus: number,
    vertikalniva: number | null,
    extra: { year?: number; formal?: boolean } = {},
  ) => {
    planNumber += 1;
    const year = extra.year ?? 1975 + Math.floor(random() * 50);
    const planidentifikasjon = `${year}${String(planNumber).padStart(4, '0')}`;
    const ring = redigitised(rectRing(rect));
    reguleringsplan.push({
      objekttypenavn: 'RpOmråde',
      properties: {
        'arealplanId.kommunenummer': kommune,
        'arealplanId.landkode': 'NO',
        'arealplanId.planidentifikasjon': planidentifikasjon,
        'identifikasjon.lokalId': uuid(),
        'identifikasjon.navnerom': `http://data.geonorge.no/${kommune}/Reguleringsplaner/so`,
        plantype: year < 2009 ? '30' : '35',
        planstatus: String(planstatus),
        plannavn: `Reguleringsplan ${planidentifikasjon} (generert)`,
        ikrafttredelsesdato:
          planstatus === 3 || planstatus === 6 ? `${year}-0${1 + Math.floor(random() * 9)}-15` : null,
        lovreferanse: year < 2009 ? '4' : '6',
        vertikalnivå: vertikalniva === null ? null : String(vertikalniva),
        'kopidata.originalDatavert': 'GENERERT EKSEMPEL – ikke ekte plandata',
      },
      geometry: polygon(ring),
    });
    if (extra.formal && vertikalniva !== 1) {
      // The plan's road (kjøreveg) along its southern edge, for the infrastructure factor.
      reguleringsplan.push({
        objekttypenavn: 'RpArealformålOmråde',
        properties: {
          'arealplanId.kommunenummer': kommune,
          'arealplanId.planidentifikasjon': planidentifikasjon,
          'identifikasjon.lokalId': uuid(),
          arealformål: '2011',
          feltbetegnelse: `o_SKV${planNumber}`,
          vertikalnivå: vertikalniva === null ? null : String(vertikalniva),
        },
        geometry: polygon(redigitised(rectRing({ ...rect, j1: rect.j0 + 1 }))),
      });
    }
    return `${kommune}-${planidentifikasjon}`;
  };
  for (const zone of zones) {
    const { i0, j0, i1, j1 } = zone.rect;
    const w = i1 - i0;
    const h = j1 - j0;
    if (zone.candidate) {
      const r = random();
      if (r < 0.35) {
        // An adopted plan over part of the zone, sharing its western and southern edge.
        addPlan(
          {
            i0,
            j0,
            i1: i0 + Math.max(2, Math.floor(w * (0.3 + random() * 0.4))),
            j1: j0 + Math.max(2, Math.floor(h * (0.4 + random() * 0.5))),
          },
          chance(0.9) ? 3 : 6,
          chance(0.8) ? 2 : null,
          { formal: true },
        );
      } else if (r < 0.45) {
        // The whole zone already regulated (re-digitised edges: only slivers remain).
        addPlan(zone.rect, 3, 2, { formal: true });
      } else if (r < 0.52) {
        inProgressPlanIds.push(
          addPlan(
            { i0: i0 + 2, j0: j0 + 1, i1: i1 - 1, j1: Math.max(j0 + 2, j1 - 2) },
            chance(0.5) ? 1 : 2,
            2,
            { year: 2025 },
          ),
        );
      } else if (r < 0.56) {
        addPlan({ i0, j0, i1: Math.min(i1, i0 + 3), j1 }, chance(0.5) ? 4 : 5, 2);
      }
    } else if (zone.built) {
      for (let k = 0; k < options.builtPlansPerZone; k++) {
        const a = i0 + Math.floor(random() * (w - 2));
        const b = j0 + Math.floor(random() * (h - 2));
        addPlan(
          {
            i0: a,
            j0: b,
            i1: Math.min(i1, a + 2 + Math.floor(random() * 6)),
            j1: Math.min(j1, b + 2 + Math.floor(random() * 5)),
          },
          3,
          chance(0.85) ? 2 : null,
          { formal: chance(0.5) },
        );
      }
    }
  }
  // Tunnels (under ground) and a bridge (over ground) across the kommune: they regulate nothing on the surface.
  for (let t = 0; t < Math.max(2, Math.floor(cols / 60)); t++) {
    const j = Math.floor(rows * (0.2 + 0.6 * random()));
    tunnelPlanIds.push(addPlan({ i0: 2, j0: j, i1: cols - 2, j1: j + 1 }, 3, 1, { year: 2016 }));
  }
  addPlan({ i0: riverI - 2, j0: roadJ, i1: riverI + 6, j1: roadJ + 1 }, 3, 3, { year: 2012 });

  const centre: PointGeometry = {
    type: 'Point',
    coordinates: [
      round3(options.origin[0] + cols * cellM * 0.55),
      round3(options.origin[1] + rows * cellM * 0.5),
    ],
  };
  return {
    options,
    kommuneplan,
    reguleringsplan,
    parcels,
    centre,
    facts: { invalidZoneIds, invalidTeigIds, tunnelPlanIds, inProgressPlanIds, oldLawZoneIds },
  };
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;
