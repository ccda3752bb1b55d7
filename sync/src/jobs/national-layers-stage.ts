import type { KommuneData, LayerStatus } from '../domain/kommune.js';
import type { Lot } from '../domain/lot.js';
import { LayerHttp } from '../sources/national/layer-http.js';
import type { HttpClientOptions } from '../net/http-client.js';
import { keptNationalLayersVersion } from '../sources/national/kept-layers-version.js';
import { loadNationalLayers } from '../sources/national/national-layers.js';
import { sampleFarmland } from '../sources/national/sample-farmland.js';
import type { SampleKommune } from '../sources/sample-kommune.js';
import type { HttpCache } from '../net/conditional-cache.js';
import type { LastGoodStore } from '../sources/last-good-store.js';
import { saveLayerStatuses } from '../store/national-layer-status.js';
import type { PipelineContext } from './nightly-stages.js';

/**
 * The national constraint layers in the nightly pipeline: read with the kommune's data (the
 * bundled sample from its files, every other kommune from the services), farmland sampled from
 * NIBIO's WMS once the lots are known, each layer's status kept in the store and named in the run
 * report. A layer that fails never stops the kommune.
 */
export class NationalLayersStage {
  private readonly http: LayerHttp;
  private readonly farmlandByWms = new Set<string>();

  constructor(
    private readonly context: PipelineContext,
    private readonly runtime: {
      cache: HttpCache | null;
      lastGood: LastGoodStore | null;
      /** Tests: a faster rate or shorter retry delays than the rules'. */
      http?: Partial<HttpClientOptions>;
    },
    private readonly sample: Pick<SampleKommune, 'kommunenummer' | 'dir'> | null,
  ) {
    const rules = context.rules.lotScore.constraints.nationalLayers;
    this.http = new LayerHttp({
      timeoutMs: rules.timeoutMs,
      maxRetries: rules.maxRetries,
      cache: runtime.cache,
      http: runtime.http,
    });
  }

  get enabled(): boolean {
    return this.context.rules.lotScore.constraints.nationalLayers.enabled;
  }

  /** The layers' version when this run would reuse every one of them as kept; null when one would be fetched. */
  keptVersion(kommunenummer: string): string | null {
    return keptNationalLayersVersion(kommunenummer, {
      rules: this.context.rules.lotScore.constraints.nationalLayers,
      store: this.runtime.lastGood,
      bundled: this.sample,
    });
  }

  /** The kommune's data with its national layers and their statuses; the lines worth reporting. */
  async load(data: KommuneData, signal?: AbortSignal): Promise<{ data: KommuneData; problems: string[] }> {
    const kommunenummer = data.kommune.kommunenummer;
    const loaded = await loadNationalLayers(data, {
      rules: this.context.rules.lotScore.constraints.nationalLayers,
      http: this.http,
      store: this.runtime.lastGood,
      bundled: this.sample,
      signal,
    });
    if (loaded.farmlandByWms) this.farmlandByWms.add(kommunenummer);
    else this.farmlandByWms.delete(kommunenummer);
    return {
      data: {
        ...data,
        nationalLayers: loaded.layers,
        layerStatus: loaded.statuses,
        mappedAreas: loaded.mappedAreas,
      },
      problems: problemsOf(kommunenummer, loaded.statuses),
    };
  }

  /** Before scoring: farmland sampled at the lots (when no AR5 file), and every status kept in the store. */
  /** Whether `beforeScoring` adds to the kommune's data from its lots (farmland sampled at them): then lots cannot be scored before all are found. */
  needsLots(kommunenummer: string): boolean {
    return this.enabled && this.farmlandByWms.has(kommunenummer);
  }

  async beforeScoring(
    lots: readonly Lot[],
    data: KommuneData,
  ): Promise<{ data: KommuneData; problems: string[]; summary: string | null }> {
    if (!this.enabled) return { data, problems: [], summary: null };
    const kommunenummer = data.kommune.kommunenummer;
    let result = data;
    let problems: string[] = [];
    if (this.farmlandByWms.has(kommunenummer) && lots.length > 0) {
      const farmland = await sampleFarmland(kommunenummer, lots, {
        rules: this.context.rules.lotScore.constraints.nationalLayers,
        http: this.http,
        store: this.runtime.lastGood,
      });
      result = {
        ...data,
        nationalLayers: [...(data.nationalLayers ?? []), ...farmland.layers],
        layerStatus: [...(data.layerStatus ?? []), farmland.status],
      };
      problems = problemsOf(kommunenummer, [farmland.status]);
    }
    saveLayerStatuses(this.context.db, kommunenummer, result.layerStatus ?? [], new Date().toISOString());
    return { data: result, problems, summary: summaryOf(kommunenummer, result.layerStatus ?? []) };
  }

  close(): Promise<void> {
    return this.http.close();
  }
}

function problemsOf(kommunenummer: string, statuses: readonly LayerStatus[]): string[] {
  return statuses
    .filter((s) => s.status !== 'fetched')
    .map(
      (s) =>
        `Kommune ${kommunenummer}: national layer ${s.layer} ${s.status}: ${s.cause ?? 'no cause given'}`,
    );
}

/** "Kommune 3218: national layers 11 fetched, 1 failed (kvikkleire); farmland: AR5 file ar5-3218.gpkg". */
function summaryOf(kommunenummer: string, statuses: readonly LayerStatus[]): string {
  const count = (kind: LayerStatus['status']) => statuses.filter((s) => s.status === kind);
  const parts = (['fetched', 'failed', 'not-available'] as const)
    .map((kind) => ({ kind, layers: count(kind) }))
    .filter(({ layers }) => layers.length > 0)
    .map(
      ({ kind, layers }) =>
        `${layers.length} ${kind}${kind === 'fetched' ? '' : ` (${layers.map((s) => s.layer).join(', ')})`}`,
    );
  const farmland = statuses.find((s) => s.layer === 'landbruk');
  return `Kommune ${kommunenummer}: national layers ${parts.join(', ') || 'none'}${farmland ? `; farmland: ${farmland.status === 'fetched' ? farmland.cause : farmland.status}` : ''}`;
}
