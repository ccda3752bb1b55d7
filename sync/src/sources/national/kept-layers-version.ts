import path from 'node:path';
import { existsSync } from 'node:fs';
import type { NationalLayerRules } from '../../config/national-layer-rules.js';
import { statsOf } from '../files/input-version.js';
import { isFresh } from '../kept-fetch.js';
import type { LastGoodStore } from '../last-good-store.js';
import { NATIONAL_LAYERS } from './catalogue.js';
import { coverageTarget, targetOf } from './national-layers.js';

export interface KeptLayersContext {
  rules: NationalLayerRules;
  store: LastGoodStore | null;
  bundled?: { kommunenummer: string; dir: string } | null;
  now?: Date;
}

/**
 * What a kommune's national layers will be this run, as a version, when that is known without
 * asking any service: every switched-on layer is bundled or kept and fresh by `isFresh` (so
 * `loadNationalLayers` reuses it as it is), and farmland comes from a file or from kept
 * WMS samples. Null when a layer would be fetched: its answer is unknown until it is asked, so
 * the kommune is read and computed again (and the copies kept then make the next night's version).
 */
export function keptNationalLayersVersion(kommunenummer: string, context: KeptLayersContext): string | null {
  const { rules } = context;
  if (!rules.enabled) return 'off';
  if (context.bundled?.kommunenummer === kommunenummer)
    return `bundled ${statsOf(path.join(context.bundled.dir, 'layers')).join(';')}`;
  const now = context.now ?? new Date();
  const fresh = (part: `national-${string}`) => {
    const savedAt = context.store?.savedAtOf(kommunenummer, part) ?? null;
    return savedAt !== null && isFresh(kommunenummer, savedAt, rules.refreshDays, now) ? savedAt : null;
  };
  const versions: string[] = [];
  for (const definition of NATIONAL_LAYERS) {
    const settings = rules.layers[definition.id];
    if (!settings.enabled) continue;
    // The coverage is asked for with its layer: a layer kept fresh is reused with its kept coverage.
    const targets = [targetOf(definition, settings), coverageTarget(definition, settings)];
    for (const target of targets) {
      if (!target) continue;
      const savedAt = fresh(`national-${target.id}`);
      if (savedAt === null) return null;
      versions.push(`${target.id}@${savedAt}`);
    }
  }
  const farmland = farmlandVersion(kommunenummer, rules, fresh);
  if (farmland === null) return null;
  return [...versions, farmland].join(';');
}

/** The AR5 file's stats, the kept WMS samples' fetch time, or 'off'; null when samples would be asked. */
function farmlandVersion(
  kommunenummer: string,
  rules: NationalLayerRules,
  fresh: (part: `national-${string}`) => string | null,
): string | null {
  const { landbruk } = rules;
  if (!landbruk.enabled) return 'landbruk off';
  const file = landbruk.file?.replaceAll('{kommunenummer}', kommunenummer);
  if (file && existsSync(file)) return `landbruk ${statsOf(file).join(';')}`;
  if (!landbruk.wms.enabled) return 'landbruk none';
  const savedAt = fresh('national-landbruk-wms');
  return savedAt === null ? null : `landbruk-wms@${savedAt}`;
}
