import type { AreaGeometry, Position, Ring } from '../../sync/src/domain/geometry.js';
import type { KommuneData } from '../../sync/src/domain/kommune.js';
import type { Parcel } from '../../sync/src/domain/parcel.js';
import type { PlanFeature, PropertyValue } from '../../sync/src/domain/plan.js';

/** Hand-made cases sit near Ås sentrum (EPSG:25833), in metres from this corner. */
export const ORIGIN: Position = [262_000, 6_621_000];

export const at = (x: number, y: number): Position => [ORIGIN[0] + x, ORIGIN[1] + y];

/** A closed rectangle ring, counter-clockwise, in local metres. */
export function rect(x0: number, y0: number, x1: number, y1: number): Ring {
  return [at(x0, y0), at(x1, y0), at(x1, y1), at(x0, y1), at(x0, y0)];
}

export const polygon = (...rings: Ring[]): AreaGeometry => ({ type: 'Polygon', coordinates: rings });

let counter = 0;
const nextId = (prefix: string) => `${prefix}-${String(++counter).padStart(4, '0')}`;

export function zone(
  geometry: AreaGeometry,
  props: {
    arealformål?: number;
    arealbruk?: number;
    arealbruksstatus?: number;
    lokalId?: string;
    plan?: string;
  } & Record<string, PropertyValue | undefined> = {},
): PlanFeature {
  const { arealformål = 1110, arealbruk, arealbruksstatus = 2, lokalId, plan = '2019001', ...rest } = props;
  const old = arealbruk !== undefined;
  return {
    objekttypenavn: old ? 'KpArealbrukOmråde' : 'KpArealformålOmråde',
    properties: {
      'arealplanId.kommunenummer': '3218',
      'arealplanId.planidentifikasjon': plan,
      'identifikasjon.lokalId': lokalId ?? nextId('zone'),
      ...(old ? { arealbruk: String(arealbruk) } : { arealformål: String(arealformål) }),
      arealbruksstatus: String(arealbruksstatus),
      ...(rest as Record<string, PropertyValue>),
    },
    geometry,
  };
}

export function kommuneplanOutline(
  geometry: AreaGeometry,
  plan: string,
  date: string,
  planstatus = 3,
): PlanFeature {
  return {
    objekttypenavn: 'KpOmråde',
    properties: {
      'arealplanId.kommunenummer': '3218',
      'arealplanId.planidentifikasjon': plan,
      'identifikasjon.lokalId': nextId('kp'),
      planstatus: String(planstatus),
      ikrafttredelsesdato: date,
    },
    geometry,
  };
}

export function regPlan(
  geometry: AreaGeometry,
  props: {
    planstatus?: number;
    vertikalnivå?: number | null;
    plan?: string;
    ikrafttredelsesdato?: string;
    vedtakEndeligPlanDato?: string;
  } = {},
): PlanFeature {
  const { planstatus = 3, vertikalnivå = 2, plan = nextId('rp'), ...dates } = props;
  return {
    objekttypenavn: 'RpOmråde',
    properties: {
      'arealplanId.kommunenummer': '3218',
      'arealplanId.planidentifikasjon': plan,
      'identifikasjon.lokalId': nextId('rpomr'),
      planstatus: String(planstatus),
      vertikalnivå: vertikalnivå === null ? null : String(vertikalnivå),
      ...dates,
    },
    geometry,
  };
}

export function parcel(
  geometry: AreaGeometry,
  matrikkelnummertekst: string,
  teigId = nextId('teig'),
): Parcel {
  const [gnr, bnr] = matrikkelnummertekst.split('/').map(Number);
  return {
    teigId,
    kommunenummer: '3218',
    matrikkelnummertekst,
    matrikkelenheter: [{ kommunenummer: '3218', gnr: gnr!, bnr: bnr!, fnr: 0, snr: 0 }],
    matrikkelenhetId: null,
    lagretArealM2: null,
    geometry,
  };
}

export function kommuneData(parts: {
  kommuneplan?: PlanFeature[];
  reguleringsplan?: PlanFeature[];
  parcels?: Parcel[];
}): KommuneData {
  return {
    kommune: { kommunenummer: '3218', navn: 'Ås', fylkesnummer: '32', fylkesnavn: 'Akershus' },
    kommuneplan: parts.kommuneplan ?? [],
    reguleringsplan: parts.reguleringsplan ?? [],
    parcels: parts.parcels ?? [],
    coverage: { kommuneplan: 'covered', reguleringsplan: 'covered', parcels: 'covered' },
    boundary: null,
    centre: null,
    sources: { kommuneplan: 'test', reguleringsplan: 'test', parcels: 'test' },
  };
}

/** A grid of square parcels of `size` metres covering [x0,x1)×[y0,y1), numbered gnr 1, bnr 1… */
export function parcelGrid(x0: number, y0: number, x1: number, y1: number, size: number, gnr = 1): Parcel[] {
  const parcels: Parcel[] = [];
  let bnr = 1;
  for (let x = x0; x < x1; x += size) {
    for (let y = y0; y < y1; y += size) {
      parcels.push(
        parcel(polygon(rect(x, y, Math.min(x1, x + size), Math.min(y1, y + size))), `${gnr}/${bnr++}`),
      );
    }
  }
  return parcels;
}
