import type { LotScoreRules } from '../../../config/lot-score-rules.js';
import type { Lot } from '../../../domain/lot.js';
import { formatDaa } from '../../../util/norwegian-format.js';
import { isFiniteNumber, stepValue } from '../curves.js';
import type { FactorResult } from '../types.js';
import { plural } from '../wording.js';

export interface OwnershipInput {
  /** Properties (matrikkelenheter) the lot's opportunity spans. */
  properties: number;
  opportunityArealM2: number;
  /** Properties among them whose owners are looked up, and their owners summed. */
  propertiesWithKnownOwners: number;
  knownOwners: number;
}

/**
 * Eierstruktur: fewer parties to agree with is better. Counts owners where they are known and one
 * per property where not; an owner of two properties counts twice (we only know counts), which
 * errs low, never high.
 */
export function ownershipFactor(input: OwnershipInput, rules: LotScoreRules['eierstruktur']): FactorResult {
  const properties = Math.max(1, input.properties);
  const unknown = Math.max(0, properties - input.propertiesWithKnownOwners);
  const parties = input.knownOwners + unknown;
  const value = stepValue(Math.max(1, parties), rules.steps, rules.beyond);
  const area = formatDaa(input.opportunityArealM2);
  const span = `Mulighetsområdet (${area}) omfatter ${plural(properties, 'eiendom', 'eiendommer')}`;
  if (input.propertiesWithKnownOwners === 0)
    return { value, reason: `${span}; eierne er ikke slått opp ennå.` };
  const known = `${plural(input.knownOwners, 'kjent eier', 'kjente eiere')}`;
  return {
    value,
    reason:
      unknown === 0
        ? `${span} med ${known}.`
        : `${span}: ${known} på ${plural(input.propertiesWithKnownOwners, 'eiendom', 'eiendommer')}, resten ikke slått opp.`,
  };
}

/**
 * Per lot, the properties and known owners of the opportunity it lies in: lots that share an
 * opportunityId are that opportunity's properties with lots; owner counts are by tomtId.
 */
export function ownershipInputs(
  lots: ReadonlyArray<
    Pick<
      Lot,
      'tomtId' | 'opportunityId' | 'matrikkelnummertekst' | 'parcelsInOpportunity' | 'opportunityArealM2'
    >
  >,
  ownerCounts: ReadonlyMap<string, number> | undefined,
): Map<string, OwnershipInput> {
  const known = new Map<string, Map<string, number>>();
  for (const lot of lots) {
    const count = ownerCounts?.get(lot.tomtId);
    if (!isFiniteNumber(count) || count < 1) continue;
    const properties = known.get(lot.opportunityId) ?? new Map<string, number>();
    properties.set(lot.matrikkelnummertekst, Math.round(count));
    known.set(lot.opportunityId, properties);
  }
  const inputs = new Map<string, OwnershipInput>();
  for (const lot of lots) {
    const properties = known.get(lot.opportunityId);
    inputs.set(lot.tomtId, {
      properties: lot.parcelsInOpportunity,
      opportunityArealM2: lot.opportunityArealM2,
      propertiesWithKnownOwners: properties?.size ?? 0,
      knownOwners: properties ? [...properties.values()].reduce((a, b) => a + b, 0) : 0,
    });
  }
  return inputs;
}
