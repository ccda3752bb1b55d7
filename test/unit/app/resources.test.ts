import { describe, expect, it } from 'vitest';
import { appResources } from '../../../sync/src/app/resources.js';
import { loadEnv } from '../../../sync/src/config/env.js';
import { defaultRules } from '../../../sync/src/config/rules.js';
import type { AirtableClient } from '../../../sync/src/crm/airtable/client.js';
import { openStore } from '../../../sync/src/store/database.js';
import { createMemoryLogger } from '../../../sync/src/util/logger.js';
import { silentProgress } from '../../../sync/src/util/progress.js';

describe('the app’s resources', () => {
  it('close what they own, then Airtable, then the store: each once, however often close is called', async () => {
    const closed: string[] = [];
    const db = openStore(':memory:');
    const airtable = {
      close: async () => {
        // A second close of an undici client throws "The client is destroyed".
        if (closed.includes('airtable')) throw new Error('The client is destroyed');
        closed.push('airtable');
      },
    } as unknown as AirtableClient;
    const resources = appResources({
      env: loadEnv({ source: {} }),
      rules: defaultRules(),
      logger: createMemoryLogger(),
      progress: silentProgress,
      db,
      airtable,
    });
    resources.own('pipeline', () => void closed.push('pipeline'));
    resources.own('matrikkel', async () => void closed.push('matrikkel'));
    await Promise.all([resources.close(), resources.close()]);
    await resources.close();
    expect(closed).toEqual(['matrikkel', 'pipeline', 'airtable']);
    expect(db.open).toBe(false);
  });

  it('closes the store even when a client fails to close, and says which', async () => {
    const db = openStore(':memory:');
    const logger = createMemoryLogger();
    const resources = appResources({
      env: loadEnv({ source: {} }),
      rules: defaultRules(),
      logger,
      progress: silentProgress,
      db,
      airtable: null,
    });
    resources.own('pipeline', () => {
      throw new Error('socket hang up');
    });
    await resources.close();
    expect(db.open).toBe(false);
    expect(logger.lines.join('\n')).toMatch(/closing pipeline failed.*socket hang up/);
  });
});
