import { describe, expect, it } from 'vitest';
import { loadEnv } from '../../../sync/src/config/env.js';
import { ConfigError } from '../../../sync/src/util/errors.js';

describe('AIRTABLE_RECORD_LIMIT', () => {
  it('is 50,000 records (Airtable Team) unless set, and takes a Business base’s 125,000', () => {
    expect(loadEnv({ source: {} }).AIRTABLE_RECORD_LIMIT).toBe(50_000);
    expect(loadEnv({ source: { AIRTABLE_RECORD_LIMIT: '' } }).AIRTABLE_RECORD_LIMIT).toBe(50_000);
    expect(loadEnv({ source: { AIRTABLE_RECORD_LIMIT: '125000' } }).AIRTABLE_RECORD_LIMIT).toBe(125_000);
  });

  it.each([
    ['fifty thousand', /must be a number/],
    ['50000.5', /whole number/],
    ['999', /at least 1000/],
  ])('refuses %s, naming the key', (value, why) => {
    const load = () => loadEnv({ source: { AIRTABLE_RECORD_LIMIT: value } });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/AIRTABLE_RECORD_LIMIT/);
    expect(load).toThrow(why);
  });
});
