import { describe, expect, it } from 'vitest';
import type { AirtableRules } from '../../../../sync/src/config/airtable-rules.js';
import { tierOf } from '../../../../sync/src/domain/lot.js';
import { tomterTable } from '../../../../sync/src/crm/schema/tomter.js';
import { belowPolicy, mayCreateRecord, meetsMinTier } from '../../../../sync/src/crm/tomter/policy.js';
import { touchedFormula, workedFields } from '../../../../sync/src/crm/tomter/touched.js';
import type { TrackedLot } from '../../../../sync/src/lot-record/lifecycle.js';
import { evaluate, parseFormula, truthy } from '../../../doubles/airtable/formula.js';
import { aasLots, aasRecords } from '../../../fixtures/crm/lots.js';

const [record] = aasRecords(aasLots({ count: 1 }));
const B: AirtableRules = { minTier: 'B', keepTouched: true };

/** A lot of the given score, current unless said otherwise. */
const lot = (total: number, state: TrackedLot['state'] = 'active'): TrackedLot => ({
  record: { ...record!, score: { ...record!.score, total, tier: tierOf(total) } },
  state,
  firstSeen: '2026-01-05T01:00:00Z',
  lastSeen: '2026-03-02T01:00:00Z',
  changedAt: '2026-03-02T01:00:00Z',
  vanishedAt: state === 'vanished' ? '2026-03-02T01:00:00Z' : null,
  vanishedReason: state === 'vanished' ? 'Regulert: vedtatt reguleringsplan 3218-2025011' : null,
  revivedAt: null,
  timesVanished: state === 'vanished' ? 1 : 0,
});

describe('the Airtable policy (which lots get a Tomter record)', () => {
  it('ranks tiers best first: B or better is A and B', () => {
    expect(['A', 'B', 'C', 'D'].map((t) => meetsMinTier(t as 'A', { minTier: 'B' }))).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect(meetsMinTier('D', { minTier: 'D' })).toBe(true);
    expect(meetsMinTier('B', { minTier: 'A' })).toBe(false);
  });

  it('creates records for current lots of the minimum tier or better, never for a vanished lot', () => {
    expect(mayCreateRecord(lot(80), B)).toBe(true);
    expect(mayCreateRecord(lot(60), B)).toBe(true);
    expect(mayCreateRecord(lot(59.9), B)).toBe(false);
    expect(mayCreateRecord(lot(20), { minTier: 'D', keepTouched: true })).toBe(true);
    expect(mayCreateRecord(lot(90, 'vanished'), B)).toBe(false);
  });

  it('marks a record below the tier unless the team touched it (and touched ones are kept)', () => {
    expect(belowPolicy(lot(65), false, B)).toBe(false);
    expect(belowPolicy(lot(45), false, B)).toBe(true);
    expect(belowPolicy(lot(45), true, B)).toBe(false);
    expect(belowPolicy(lot(45), true, { minTier: 'B', keepTouched: false })).toBe(true);
    expect(belowPolicy(lot(45), false, { minTier: 'C', keepTouched: true })).toBe(false);
    // A vanished lot is judged by nobody: its mark stays as it is.
    expect(belowPolicy(lot(45, 'vanished'), false, B)).toBeNull();
  });
});

describe('touched records (the team has worked them)', () => {
  const names = new Set([tomterTable.primary, ...tomterTable.fields].map((f) => f.name));
  const touched = (fields: Record<string, unknown>) =>
    truthy(evaluate(parseFormula(touchedFormula()), { id: 'rec1', fields }, names));

  it('takes the worked fields from the schema’s owners: every team and lookup field, no sync or enrichment field', () => {
    const worked = workedFields(tomterTable);
    for (const field of tomterTable.fields.filter((f) => f.owner === 'team' || f.owner === 'lookup'))
      expect(worked).toContain(field.name);
    // The enrichment marks a lot by itself: "Utbygger nabo" is no sign the team has worked it.
    expect(worked).not.toContain('Utbygger');
    expect(worked).not.toContain('Utbygger selskap');
    expect(worked).not.toContain('Score');
    expect(worked).not.toContain('Under terskel');
    expect(worked).toEqual(expect.arrayContaining(['Status', 'Notater', 'Kontaktstatus', 'Eieroppslag']));
  });

  it('counts a Status the team set, not the ones the sync sets (Ny, Utgått) nor an empty one', () => {
    expect(touched({ 'Tomt-ID': 'x', Status: 'Ny' })).toBe(false);
    expect(touched({ 'Tomt-ID': 'x', Status: 'Utgått' })).toBe(false);
    expect(touched({ 'Tomt-ID': 'x' })).toBe(false);
    expect(touched({ 'Tomt-ID': 'x', Status: 'Kontaktet' })).toBe(true);
    expect(touched({ 'Tomt-ID': 'x', Status: 'Ikke aktuell' })).toBe(true);
  });

  it('counts any other team field filled in, and an owner lookup asked for', () => {
    const base = { 'Tomt-ID': 'x', Status: 'Ny', Score: 45, Klasse: 'C' };
    expect(touched(base)).toBe(false);
    expect(touched({ ...base, Notater: 'Ringt eier' })).toBe(true);
    expect(touched({ ...base, Ansvarlig: 'Kari' })).toBe(true);
    expect(touched({ ...base, 'Neste handling dato': '2026-04-01' })).toBe(true);
    expect(touched({ ...base, Kontaktstatus: 'Brev sendt' })).toBe(true);
    expect(touched({ ...base, Eieroppslag: 'Ferdig' })).toBe(true);
    expect(touched({ ...base, Notater: '' })).toBe(false);
  });
});
