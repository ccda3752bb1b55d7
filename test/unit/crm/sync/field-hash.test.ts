import { describe, expect, it } from 'vitest';
import { hashValue, isEmptyValue } from '../../../../sync/src/crm/sync/field-hash.js';

describe('field hashes', () => {
  it('treats every form Airtable leaves out of a read as one empty value', () => {
    for (const empty of [null, undefined, '', false, []]) {
      expect(isEmptyValue(empty)).toBe(true);
      expect(hashValue(empty)).toBe(hashValue(null));
    }
  });

  it('does not treat a value the team would see as empty', () => {
    for (const value of [0, ' ', 'Ny', true, ['Vann'], [''], {}]) {
      expect(isEmptyValue(value)).toBe(false);
      expect(hashValue(value)).not.toBe(hashValue(null));
    }
  });

  it('tells different values apart and ignores the key order of objects', () => {
    expect(hashValue(['Vann', 'Avløp'])).not.toBe(hashValue(['Vann']));
    expect(hashValue(61.4)).not.toBe(hashValue('61.4'));
    expect(hashValue({ value: 'Utgått', onlyIf: ['Ny', null] })).toBe(
      hashValue({ onlyIf: ['Ny', null], value: 'Utgått' }),
    );
  });

  it('keeps the hashes earlier syncs stored, so an upgrade does not rewrite every record', () => {
    // The store keeps these per field and record across versions: a changed format would make
    // every field of every record look changed and send the whole base again at 5 requests/s.
    expect(hashValue(null)).toBe('empty');
    expect(hashValue('Ås')).toBe('yKeVWui6Peq7wxiO');
    expect(hashValue(61.4)).toBe('j0uSqGuD6dGmArvR');
    expect(hashValue(['B', 'A'])).toBe('N-uEqoYy4-utFrrH');
  });
});
