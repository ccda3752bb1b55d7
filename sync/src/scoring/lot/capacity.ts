import type { KommuneClass, LotScoreRules } from '../../config/lot-score-rules.js';
import { UTNYTTINGSTYPE } from '../../domain/codes.js';
import type { CapacityEstimate, ZoneUse } from '../../domain/lot.js';
import { formatDaa, formatM2 } from '../../util/norwegian-format.js';
import { homesWords } from './factors/capacity.js';

export interface CapacityInput {
  /** The area homes can go on: the lot outside severe constraints. */
  lotAreaM2: number;
  /** Lot area left out because severe constraints cover it (named in the detail). */
  unbuildableM2?: number;
  zone: ZoneUse;
  /** Area of the whole zone: a plan's m² figure (BYA, BRA) is for the field, the lot gets its share. */
  zoneAreaM2: number | null;
  kommuneClass: KommuneClass;
  /** Why this density class, in Norwegian ("sentralitetsklasse 2 hos SSB"); none when the default. */
  classSource?: string;
}

export interface CapacityResult extends CapacityEstimate {
  /** The zone names an utnytting type but its number was lost by the source (NAP's array leak). */
  utnyttingLost: boolean;
}

type CapacityRules = LotScoreRules['capacity'];

const CLASS_NAMES: Record<KommuneClass, string> = {
  storby: 'storbykommune',
  by: 'bykommune',
  bygd: 'distriktskommune',
};

type Reading = 'pct-bya' | 'm2-bya' | 'pct-bra' | 'm2-bra' | 'ratio-bra';

const decimal = new Intl.NumberFormat('nb-NO', { maximumFractionDigits: 2 });
const number = (n: number) => decimal.format(n).replace(/[\u202f\u00a0]/g, ' ');
const pct = (fraction: number) => `${number(Math.round(fraction * 1000) / 10)} %`;

const typeNameOf = (type: number) => UTNYTTINGSTYPE[type] ?? `type ${type}`;

/** Share of a lot left for building once roads, play areas and parking are taken out. */
export const netShareOf = (rules: CapacityRules): number =>
  1 - rules.deductions.roads - rules.deductions.playAreas - rules.deductions.parking;

/**
 * How a number of each Utnyttingstype (SOSI plan-felles) reads. %-values are of the lot's net
 * building land; m² values are for the zone and shared by area. The 1987 types (BYA-87, BRA-87)
 * were written both as % and as m²: up to 100 is read as %, above as m². U is a ratio (0,5), but a
 * value above 5 can only be a percentage. F, BGA and BFA say nothing about floor area and fall
 * back to density.
 */
function readingOf(type: number, tall: number): Reading | null {
  switch (type) {
    case 12:
    // Stryker disable next-line ConditionalExpression: without its own return %-BYA falls through to BYA-87, which reads a % (up to 100, all a %-BYA can be) the same way
    case 16:
      return 'pct-bya';
    case 1:
      return tall <= 100 ? 'pct-bya' : 'm2-bya';
    case 15:
      return 'm2-bya';
    case 3:
    case 14:
    case 18:
      return 'pct-bra';
    case 2:
      return tall <= 100 ? 'pct-bra' : 'm2-bra';
    case 13:
    case 17:
      return 'm2-bra';
    case 4:
      return 'ratio-bra';
  }
  return null;
}

/** The floor area (BRA) a reading of the plan's number gives the lot, with the calculation in words. */
function floorAreaOf(
  reading: Reading | null,
  tall: number,
  input: CapacityInput,
  rules: CapacityRules,
): { floorArea: number; how: string } | null {
  const { lotAreaM2 } = input;
  const storeys = rules.storeysForBya[input.kommuneClass];
  const netShare = netShareOf(rules);
  const net = lotAreaM2 * netShare;
  const netWords = `netto byggeareal ${formatM2(net)} (${formatM2(lotAreaM2)} minus ${pct(1 - netShare)} til veger, lekeplasser og parkering)`;
  const zoneAreaM2 = input.zoneAreaM2 ?? 0;
  const share = zoneAreaM2 > 0 ? Math.min(1, lotAreaM2 / zoneAreaM2) : null;
  const shareWords = (part: number) => `${formatM2(tall)} for feltet, tomtens andel ${pct(part)}`;
  const floors = `× ${number(storeys)} etasjer`;
  switch (reading) {
    case 'pct-bya': {
      const footprint = (tall / 100) * net;
      return {
        floorArea: footprint * storeys,
        how: `${netWords} × ${number(tall)} % = ${formatM2(footprint)} bebygd areal ${floors}`,
      };
    }
    case 'm2-bya': {
      if (share === null) return null;
      const footprint = tall * share;
      return {
        floorArea: footprint * storeys,
        how: `${shareWords(share)} = ${formatM2(footprint)} bebygd areal ${floors}`,
      };
    }
    case 'pct-bra':
      return { floorArea: (tall / 100) * net, how: `${netWords} × ${number(tall)} %` };
    case 'm2-bra':
      return share === null ? null : { floorArea: tall * share, how: shareWords(share) };
    case 'ratio-bra': {
      const ratio = tall > 5 ? tall / 100 : tall;
      return { floorArea: ratio * net, how: `${netWords} × ${number(ratio)}` };
    }
  }
  return null;
}

/**
 * Estimated homes on a lot (issue 16): from the zone's own utnytting where the plan gives one we
 * can read (a percentage of the net building land after roads, play areas and parking; the floor
 * area's usable share ÷ the average home size of the kommune's density class), else from homes per
 * daa by arealformål and density class. Homes are whole, rounded down. The customer's rule of
 * thumb (about 400 m² of land per home) is given beside it as a cross-check.
 */
export function estimateCapacity(input: CapacityInput, rules: CapacityRules): CapacityResult {
  const estimate = estimateOn(input, rules);
  const left = input.unbuildableM2 ?? 0;
  const excluded = left >= 1 ? ` ${formatM2(left)} under alvorlige begrensninger er holdt utenfor.` : '';
  if (estimate.basis === 'not-buildable') return { ...estimate, detail: `${estimate.detail}.${excluded}` };
  const ruleOfThumbHomes = Math.floor(input.lotAreaM2 / rules.ruleOfThumbM2PerHome);
  const check = `Kontroll: kundens tommelfingerregel (${formatM2(rules.ruleOfThumbM2PerHome)} tomt per bolig) gir ${homesWords(ruleOfThumbHomes)}.`;
  return {
    ...estimate,
    detail: `${estimate.detail}.${excluded} ${check}`,
    averageHomeM2: rules.averageHomeM2[input.kommuneClass],
    ruleOfThumbHomes,
  };
}

function classWords(input: CapacityInput): string {
  return `${CLASS_NAMES[input.kommuneClass]}${input.classSource ? `, ${input.classSource}` : ''}`;
}

function estimateOn(input: CapacityInput, rules: CapacityRules): CapacityResult {
  const type = input.zone.utnytting?.type ?? null;
  const tall = input.zone.utnytting?.tall ?? null;
  if (type === 10 || type === 11) {
    return {
      homes: 0,
      method: typeNameOf(type),
      detail: `Planen sier «${typeNameOf(type)}» for feltet`,
      basis: 'not-buildable',
      utnyttingLost: false,
    };
  }
  if (type === null) return byDensity(input, rules, null, null);
  if (tall === null) return byDensity(input, rules, typeNameOf(type), null);
  const reading = readingOf(type, tall);
  const computed = tall > 0 ? floorAreaOf(reading, tall, input, rules) : null;
  if (!computed) return byDensity(input, rules, null, typeNameOf(type));
  const homeM2 = rules.averageHomeM2[input.kommuneClass];
  const usable = computed.floorArea * rules.usableShareOfBra;
  const unit = reading === 'm2-bya' || reading === 'm2-bra' ? ' m²' : '';
  return {
    homes: Math.floor(usable / homeM2),
    method: `${typeNameOf(type)} ${number(tall)}${unit}`,
    detail:
      `${computed.how} = ${formatM2(computed.floorArea)} BRA; ${pct(rules.usableShareOfBra)} boligareal ` +
      `= ${formatM2(usable)} ÷ ${formatM2(homeM2)} per bolig (${classWords(input)})`,
    basis: 'utnytting',
    utnyttingLost: false,
  };
}

function byDensity(
  input: CapacityInput,
  rules: CapacityRules,
  lostType: string | null,
  unreadableType: string | null,
): CapacityResult {
  const { zone } = input;
  const group = rules.densityGroups.find((g) =>
    zone.arealformal !== null
      ? g.arealformal.includes(zone.arealformal)
      : g.arealbruk.some((code) => code === zone.arealbruk),
  );
  const perDaa = (group?.homesPerDaa ?? rules.otherHomesPerDaa)[input.kommuneClass];
  const homes = Math.floor((input.lotAreaM2 / 1000) * perDaa);
  const why = lostType
    ? ` (planens ${lostType} mangler tall i datakilden)`
    : unreadableType
      ? ` (${unreadableType} gir ikke boligareal)`
      : '';
  return {
    homes,
    method: `standardtetthet ${number(perDaa)} boliger/daa`,
    detail: `${number(perDaa)} boliger per daa (brutto, veger og lekeplasser medregnet) for ${(group?.name ?? 'andre formål').toLowerCase()} i ${CLASS_NAMES[input.kommuneClass]}${input.classSource ? ` (${input.classSource})` : ''} × ${formatDaa(input.lotAreaM2)}${why}`,
    basis: 'density',
    utnyttingLost: lostType !== null,
  };
}
