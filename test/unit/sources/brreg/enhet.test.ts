import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { developerCode } from '../../../../sync/src/domain/developer.js';
import { parseEnhet } from '../../../../sync/src/sources/brreg/enhet.js';
import { parseRules } from '../../../../sync/src/config/rules.js';

const recorded = (file: string) => JSON.parse(readFileSync(`test/fixtures/brreg/${file}`, 'utf8')) as unknown;
const codes = parseRules({}).developers.naceCodes;

describe('Enhetsregisteret answers (recorded)', () => {
  it('reads a unit: form, NACE codes, business address, status', () => {
    expect(parseEnhet(recorded('enhet-915330193-konkurs.json'), 'u')).toEqual({
      kind: 'found',
      enhet: {
        organisasjonsnummer: '915330193',
        navn: '1VASK AS',
        organisasjonsform: { kode: 'AS', beskrivelse: 'Aksjeselskap' },
        naeringskoder: [{ kode: '81.210', beskrivelse: 'Rengjøring av bygninger' }],
        forretningsadresse: 'Eksempelveien 1, 6887 LÆRDAL',
        konkurs: true,
        underAvvikling: false,
        underTvangsavvikling: false,
      },
    });
    expect(parseEnhet(recorded('enhet-821227062-slettet.json'), 'u')).toEqual({
      kind: 'deleted',
      organisasjonsnummer: '821227062',
      slettedato: '2024-11-26',
    });
  });

  it('refuses an answer without an organisation number, naming the source', () => {
    expect(() => parseEnhet({ navn: 'X' }, 'https://data.brreg.no/x')).toThrow(/enhetsregisteret.*malformed/);
    expect(() => parseEnhet([], 'u')).toThrow(/malformed/);
  });

  it('takes a builder (SN2025 41.000) and a developer under either code set as Utbygger, not a farmer or a cleaner', () => {
    const found = (file: string) => {
      const answer = parseEnhet(recorded(file), 'u');
      return answer.kind === 'found' ? answer.enhet.naeringskoder : [];
    };
    expect(developerCode(found('enhet-810202572-bygg.json'), codes)?.kode).toBe('41.000');
    expect(developerCode(found('enhet-999999998-enk-jordbruk.json'), codes)).toBeNull();
    expect(developerCode(found('enhet-915330193-konkurs.json'), codes)).toBeNull();
    for (const kode of ['68.120', '41.109'])
      expect(
        developerCode(
          [
            { kode: '01.500', beskrivelse: '' },
            { kode, beskrivelse: '' },
          ],
          codes,
        )?.kode,
      ).toBe(kode);
    expect(developerCode([{ kode: '41.000', beskrivelse: '' }], ['41'])?.kode).toBe('41.000');
    expect(developerCode([{ kode: '14.100', beskrivelse: '' }], ['41'])).toBeNull();
  });
});
