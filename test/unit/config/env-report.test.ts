import { describe, expect, it } from 'vitest';
import { loadEnv, secretsOf } from '../../../sync/src/config/env.js';

const load = (source: Record<string, string>) =>
  loadEnv({ source: { DATA_DIR: '/tmp/tomtejakt-env', ...source } });

describe('weekly report settings', () => {
  it('defaults to Monday 07:00, no e-mail and no PDF link', () => {
    const env = load({});
    expect(env.REPORT_CRON).toBe('0 7 * * 1');
    expect(env.SMTP_URL).toBeUndefined();
    expect(env.REPORT_TO).toBeUndefined();
    expect(env.REPORT_LINK_KEY).toBeUndefined();
  });

  it('reads the mail settings, and keeps the SMTP password and the link key out of the logs', () => {
    const env = load({
      SMTP_URL: 'smtp://rapport:hemmelig-passord@smtp.example.no:587',
      REPORT_TO: 'salg@example.no, leder@example.no',
      REPORT_LINK_KEY: 'l'.repeat(40),
    });
    expect(env.REPORT_TO).toEqual(['salg@example.no', 'leder@example.no']);
    expect(secretsOf(env)).toEqual(expect.arrayContaining(['hemmelig-passord', 'l'.repeat(40)]));
  });

  it('refuses what cannot work, naming the key', () => {
    expect(() => load({ SMTP_URL: 'smtp://smtp.example.no' })).toThrow(/REPORT_TO/);
    expect(() => load({ REPORT_TO: 'salg@example.no' })).toThrow(/SMTP_URL/);
    expect(() => load({ SMTP_URL: 'https://smtp.example.no', REPORT_TO: 'a@example.no' })).toThrow(
      /SMTP_URL.*smtp:\/\//,
    );
    expect(() => load({ SMTP_URL: 'smtp://h', REPORT_TO: 'salg-at-example.no' })).toThrow(/REPORT_TO/);
    expect(() => load({ REPORT_CRON: 'monday' })).toThrow(/REPORT_CRON/);
    expect(() => load({ REPORT_LINK_KEY: 'short' })).toThrow(/REPORT_LINK_KEY/);
  });
});
