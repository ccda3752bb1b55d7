import { describe, expect, it } from 'vitest';
import { loadEnv, secretsOf } from '../../../sync/src/config/env.js';
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

describe('ALERT_WEBHOOK_URL and ALERT_WEBHOOK_FORMAT', () => {
  it('has no webhook unless set, Slack format by default, Teams when asked, and scrubs the URL from logs', () => {
    expect(loadEnv({ source: {} })).toMatchObject({ ALERT_WEBHOOK_FORMAT: 'slack' });
    expect(loadEnv({ source: { ALERT_WEBHOOK_URL: '' } }).ALERT_WEBHOOK_URL).toBeUndefined();
    const url = 'https://hooks.slack.com/services/T000/B000/XXXXXXXX';
    const env = loadEnv({ source: { ALERT_WEBHOOK_URL: url, ALERT_WEBHOOK_FORMAT: 'teams' } });
    expect(env).toMatchObject({ ALERT_WEBHOOK_URL: url, ALERT_WEBHOOK_FORMAT: 'teams' });
    expect(secretsOf(env)).toContain(url);
  });

  it.each([
    [{ ALERT_WEBHOOK_URL: 'hooks.slack.com/services/T000' }, /ALERT_WEBHOOK_URL/],
    [{ ALERT_WEBHOOK_FORMAT: 'discord' }, /ALERT_WEBHOOK_FORMAT/],
  ])('refuses %j, naming the key', (source, key) => {
    expect(() => loadEnv({ source })).toThrow(ConfigError);
    expect(() => loadEnv({ source })).toThrow(key);
  });
});
