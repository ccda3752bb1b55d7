import { describe, expect, it } from 'vitest';
import type { LayerStatus } from '../../../../sync/src/domain/kommune.js';
import { confidenceOf } from '../../../../sync/src/scoring/lot/confidence.js';
import { explainScore, type ExplanationInput } from '../../../../sync/src/scoring/lot/explanation.js';
import { uncheckedLayers, uncheckedSentence } from '../../../../sync/src/scoring/lot/layer-wording.js';
import { confidenceInput, defaultLotRules, lotRules, zoneUse } from './lot-fixtures.js';

const status = (layer: string, label: string, kind: LayerStatus['status']): LayerStatus => ({
  layer,
  label,
  status: kind,
  cause: kind === 'fetched' ? null : 'html-error-page',
  features: 0,
  fetchedAt: null,
});
const statuses = [
  status('flomsoner', 'flomsoner', 'fetched'),
  status('kvikkleire', 'kvikkleire', 'failed'),
  status('landbruk', 'dyrka mark', 'not-available'),
];
const base = confidenceInput();
const REASON = 'Kvikkleire og dyrka mark er ikke sjekket fordi kartdataene ikke var tilgjengelige.';

describe('national layers that were not checked', () => {
  it('are the failed and unavailable ones, in layer order', () => {
    expect(uncheckedLayers(statuses)).toEqual(['kvikkleire', 'dyrka mark']);
    expect(uncheckedLayers(undefined)).toEqual([]);
  });

  it('cap confidence at Middels (or what the rule says) with one natural sentence', () => {
    const unchecked = uncheckedLayers(statuses);
    expect(confidenceOf({ ...base, uncheckedLayers: unchecked }, defaultLotRules().confidence)).toEqual({
      level: 'medium',
      reasons: [REASON],
    });
    expect(
      confidenceOf(
        { ...base, uncheckedLayers: unchecked },
        lotRules({ confidence: { layerNotChecked: 'low' } }).confidence,
      ).level,
    ).toBe('low');
    expect(
      confidenceOf(
        { ...base, uncheckedLayers: unchecked },
        lotRules({ confidence: { layerNotChecked: 'none' } }).confidence,
      ),
    ).toEqual({
      level: 'high',
      reasons: [],
    });
    expect(confidenceOf({ ...base, uncheckedLayers: [] }, defaultLotRules().confidence).level).toBe('high');
  });

  it('are named in the explanation once: in the confidence sentence when first, else in a sentence of their own', () => {
    const input: ExplanationInput = {
      lot: { arealM2: 12_000, zone: zoneUse({ omradenavn: 'B4' }) },
      total: 60,
      tier: 'B',
      factors: [],
      constraints: [],
      capacity: { homes: 60, method: '%-BYA 30', detail: '', basis: 'utnytting' },
      confidence: 'medium',
      confidenceReasons: [REASON],
      uncheckedLayers: ['kvikkleire', 'dyrka mark'],
    };
    const first = explainScore(input);
    expect(first.match(/ikke sjekket/g)).toHaveLength(1);
    expect(first).toMatch(
      /Sikkerhet: middels\. Kvikkleire og dyrka mark er ikke sjekket fordi kartdataene ikke var tilgjengelige\.$/,
    );
    const second = explainScore({
      ...input,
      confidenceReasons: ['Mangler data for Kommunal vilje.', REASON],
    });
    expect(second).toMatch(
      / Ikke sjekket: kvikkleire og dyrka mark\. Sikkerhet: middels\. Mangler data for Kommunal vilje\.$/,
    );
    expect(uncheckedSentence([], REASON)).toBeNull();
  });
});

describe('land NVE has not mapped (outside the hazard layers’ coverage)', () => {
  const flood = { label: 'flomfare', fraction: 1 };
  const slide = { label: 'skredfare', fraction: 0.4 };

  it('caps confidence at Middels (or what the rule says) per hazard, whole or in part', () => {
    expect(confidenceOf({ ...base, unmappedHazards: [flood, slide] }, defaultLotRules().confidence)).toEqual({
      level: 'medium',
      reasons: ['NVE har ikke kartlagt flomfare for tomten og skredfare for 40 % av tomten.'],
    });
    expect(
      confidenceOf(
        { ...base, unmappedHazards: [slide] },
        lotRules({ confidence: { hazardNotMapped: 'none' } }).confidence,
      ),
    ).toEqual({ level: 'high', reasons: [] });
    expect(confidenceOf({ ...base, unmappedHazards: [] }, defaultLotRules().confidence).level).toBe('high');
  });

  it('names the layers in the explanation after the constraints, never as a constraint', () => {
    const text = explainScore({
      lot: { arealM2: 2_000, zone: zoneUse({ omradenavn: 'B4' }) },
      total: 60,
      tier: 'B',
      factors: [],
      constraints: [],
      capacity: { homes: 10, method: '%-BYA 30', detail: '', basis: 'utnytting' },
      confidence: 'medium',
      confidenceReasons: ['NVE har ikke kartlagt flomfare for tomten.'],
      unmappedLayers: [
        { label: 'flomsoner', fraction: 1 },
        { label: 'aktsomhetsområder for flom', fraction: 0.996 },
        { label: 'skredfaresoner', fraction: 0.25 },
      ],
    });
    expect(text).toMatch(
      / Ikke kartlagt av NVE: flomsoner \(hele tomten\), aktsomhetsområder for flom \(hele tomten\) og skredfaresoner \(25 % av tomten\)\. Sikkerhet: middels\. NVE har ikke kartlagt flomfare for tomten\.$/,
    );
    expect(text).not.toMatch(/Begrensninger|Kan stoppe/);
  });
});
