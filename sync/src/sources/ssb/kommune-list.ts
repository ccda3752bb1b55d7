import type { Kommune } from '../../domain/kommune.js';
import { messageOf } from '../../util/errors.js';
import { bundledKommuneChanges, bundledKommuner } from './bundled.js';
import { fylkeOf } from './fylker.js';
import type { CodeChange, KlassClient } from './klass.js';

export interface KommuneList {
  kommuner: Kommune[];
  source: 'klass' | 'bundled';
  /** Why the bundled list was used. */
  warning?: string;
}

/** The current kommuner from KLASS 131 (`codesAt` today), else the bundled 2024 list. */
export async function loadKommuneList(klass: KlassClient | undefined, date: string): Promise<KommuneList> {
  if (!klass) return { kommuner: bundledKommuner(), source: 'bundled', warning: 'KLASS not configured' };
  try {
    const codes = await klass.kommunerAt(date);
    if (codes.length < 300) throw new Error(`KLASS listed only ${codes.length} kommuner`);
    return {
      kommuner: codes.map((c) => ({ kommunenummer: c.code, navn: c.name, ...fylkeOf(c.code) })),
      source: 'klass',
    };
  } catch (error) {
    return { kommuner: bundledKommuner(), source: 'bundled', warning: `KLASS failed: ${messageOf(error)}` };
  }
}

/** Kommunenummer changes since 2018 (the 2020 and 2024 reforms), from KLASS, else the bundled mapping. */
export async function loadKommuneChanges(
  klass: KlassClient | undefined,
  to: string,
): Promise<{ changes: CodeChange[]; source: 'klass' | 'bundled'; warning?: string }> {
  if (!klass) return { changes: bundledKommuneChanges(), source: 'bundled' };
  try {
    return { changes: await klass.kommuneChanges('2018-01-01', to), source: 'klass' };
  } catch (error) {
    return {
      changes: bundledKommuneChanges(),
      source: 'bundled',
      warning: `KLASS failed: ${messageOf(error)}`,
    };
  }
}
