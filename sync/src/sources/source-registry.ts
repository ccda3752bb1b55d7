import type { Env } from '../config/env.js';
import { SourceError } from '../util/errors.js';
import { FilePlanSource } from './files/file-sources.js';
import type { HttpCache } from '../net/conditional-cache.js';
import {
  createHttpClient,
  type HttpClient,
  type HttpClientOptions,
  type HttpStats,
} from '../net/http-client.js';
import type { SourceHttp } from './checked-get.js';
import { KommuneinfoClient } from './kommuneinfo/kommuneinfo-client.js';
import { NapOgcApiSource } from './nap/ogc-api-source.js';
import { NapWmsProbe } from './nap/wms-probe.js';
import type { ParcelSource } from './parcel-source.js';
import type { PlanSource } from './plan-source.js';
import {
  BUILT_IN_SOURCES,
  chosenSource,
  unsuitable,
  type SourceConfig,
  type SourceRole,
  type SourcesFile,
} from './sources-config.js';
import { TeigWfsClient } from './teig/teig-client.js';
import { KommuneWfsSource } from './wfs/wfs-plan-source.js';

export type SourceEnv = Pick<
  Env,
  | 'NAP_BASE_URL'
  | 'NAP_CLIENT_ID'
  | 'NAP_CLIENT_KEY'
  | 'TEIG_WFS_URL'
  | 'KOMMUNEINFO_URL'
  | 'HTTP_TIMEOUT_MS'
  | 'HTTP_MAX_RETRIES'
>;

export interface SourceRegistryOptions {
  env: SourceEnv;
  file: SourcesFile;
  /** The conditional-request cache shared by every client (null: none). */
  cache: HttpCache | null;
  /** Extra HTTP options for every client (tests: short retry delays, a mock dispatcher). */
  http?: Partial<HttpClientOptions>;
}

/** Per-service politeness: requests in flight and requests per second. */
const LIMITS: Record<string, { concurrency: number; perSecond: number }> = {
  'nap-ogc-api': { concurrency: 4, perSecond: 10 },
  'nap-wms': { concurrency: 2, perSecond: 5 },
  wfs: { concurrency: 2, perSecond: 5 },
  files: { concurrency: 1, perSecond: 1 },
  // The teig WFS gateway answers 504 under load (8/8 in one recorded outage): stay gentle.
  'teig-wfs': { concurrency: 2, perSecond: 4 },
  kommuneinfo: { concurrency: 4, perSecond: 10 },
};

/**
 * Builds every source named in the SOURCES_FILE (and the built-in `nap`, `nap-wms`, `teig-wfs`),
 * each with its own HTTP client and limits around the one shared conditional cache, and says
 * which source serves which part of which kommune.
 */
export class SourceRegistry {
  readonly kommuneinfo: KommuneinfoClient;
  private readonly configs: Record<string, SourceConfig>;
  private readonly clients = new Map<string, HttpClient>();
  private readonly built = new Map<string, PlanSource | ParcelSource>();

  constructor(private readonly options: SourceRegistryOptions) {
    this.configs = { ...BUILT_IN_SOURCES, ...options.file.sources };
    this.kommuneinfo = new KommuneinfoClient(
      options.env.KOMMUNEINFO_URL,
      this.httpFor('kommuneinfo', 'kommuneinfo'),
    );
  }

  names(): string[] {
    return Object.keys(this.configs).sort();
  }

  configOf(name: string): SourceConfig {
    const config = this.configs[name];
    if (!config) {
      throw new SourceError(
        'not-configured',
        `no source named "${name}" (known: ${this.names().join(', ')})`,
        { source: name },
      );
    }
    return config;
  }

  /** The source name serving a role for a kommune (SOURCES_FILE `kommuner`, else `defaults`). */
  choose(kommunenummer: string, role: SourceRole): string {
    return chosenSource(this.options.file, kommunenummer, role);
  }

  plan(name: string, role: SourceRole = 'kommuneplan'): PlanSource {
    const problem = unsuitable(this.configOf(name), role);
    if (problem) throw new SourceError('not-configured', `source "${name}" ${problem}`, { source: name });
    return this.build(name) as PlanSource;
  }

  parcels(name: string): ParcelSource {
    const problem = unsuitable(this.configOf(name), 'parcels');
    if (problem) throw new SourceError('not-configured', `source "${name}" ${problem}`, { source: name });
    return this.build(name) as ParcelSource;
  }

  /**
   * A WFS serving an extra constraint layer (NVE flood or landslide zones, protected areas …): one
   * typeName, read as GML in the given CRS. Built once per name and sharing the politeness limits
   * of the other WFS sources.
   */
  constraintLayer(name: string, layer: { url: string; typeName: string; epsg?: number }): KommuneWfsSource {
    const key = `layer:${name}`;
    const existing = this.built.get(key);
    if (existing) return existing as KommuneWfsSource;
    const source = new KommuneWfsSource(
      {
        url: layer.url,
        typeNames: { kommuneplan: { [layer.typeName]: name } },
        attributes: {},
        srsName: `urn:ogc:def:crs:EPSG::${layer.epsg ?? 25833}`,
        format: 'GML',
        pageSize: 1000,
      },
      this.httpFor(key, 'wfs'),
      key,
    );
    this.built.set(key, source);
    return source;
  }

  httpStats(): Record<string, HttpStats> {
    return Object.fromEntries([...this.clients.entries()].map(([name, client]) => [name, client.stats()]));
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((client) => client.close()));
  }

  private build(name: string): PlanSource | ParcelSource {
    const existing = this.built.get(name);
    if (existing) return existing;
    const config = this.configOf(name);
    const env = this.options.env;
    const nap = env.NAP_BASE_URL.replace(/\/+$/, '');
    let source: PlanSource | ParcelSource;
    switch (config.type) {
      case 'nap-ogc-api': {
        if (!env.NAP_CLIENT_ID || !env.NAP_CLIENT_KEY) {
          throw new SourceError(
            'not-configured',
            'NAP OGC API-Features needs a DiBK client id and key (NAP_CLIENT_ID, NAP_CLIENT_KEY); or choose a files/wfs source in SOURCES_FILE',
            { source: name },
          );
        }
        // The DiBK client id/key pair is a username/password pair (Arkitektum/produktspesifikasjon_plandata, kommuneplaner_landsdekkende_kopi.yml).
        const authorization = `Basic ${Buffer.from(`${env.NAP_CLIENT_ID}:${env.NAP_CLIENT_KEY}`).toString('base64')}`;
        source = new NapOgcApiSource(
          {
            kommuneplanUrl: config.kommuneplanUrl ?? `${nap}/services/rest/kommuneplaner`,
            reguleringsplanUrl: config.reguleringsplanUrl ?? `${nap}/services/rest/reguleringsplaner/vn{vn}`,
            vertikalniva: config.vertikalniva,
            pageSize: config.pageSize,
            kommuneParameter: config.kommuneParameter,
            collections: config.collections,
          },
          this.httpFor(name, config.type, { authorization }),
          name,
        );
        break;
      }
      case 'nap-wms':
        source = new NapWmsProbe(
          {
            url: config.url ?? `${nap}/services/wms/reguleringsplaner`,
            vertikalniva: config.vertikalniva,
            layers: config.layers,
            halfWindowM: config.halfWindowM,
          },
          this.httpFor(name, config.type),
          name,
        );
        break;
      case 'wfs':
        source = new KommuneWfsSource(config, this.httpFor(name, config.type), name);
        break;
      case 'files':
        source = new FilePlanSource(config, name);
        break;
      case 'teig-wfs':
        source = new TeigWfsClient(
          {
            url: config.url ?? env.TEIG_WFS_URL,
            typeName: config.typeName,
            tileSizeM: config.tileSizeM,
            pageSize: config.pageSize,
            tileConcurrency: config.tileConcurrency,
          },
          this.httpFor(name, config.type, {}, Math.max(4, env.HTTP_MAX_RETRIES)),
          name,
        );
        break;
    }
    this.built.set(name, source);
    return source;
  }

  private httpFor(
    name: string,
    type: string,
    headers: Record<string, string> = {},
    maxRetries?: number,
  ): SourceHttp {
    const configured = (
      this.configs[name] as { rateLimit?: { requestsPerSecond: number; concurrency: number } } | undefined
    )?.rateLimit;
    const limits = configured
      ? { concurrency: configured.concurrency, perSecond: configured.requestsPerSecond }
      : (LIMITS[type] ?? { concurrency: 2, perSecond: 5 });
    const cache = this.options.cache;
    const client = createHttpClient({
      source: name,
      timeoutMs: this.options.env.HTTP_TIMEOUT_MS,
      maxRetries: maxRetries ?? this.options.env.HTTP_MAX_RETRIES,
      concurrency: limits.concurrency,
      rateLimit: perSecond(limits.perSecond),
      headers: { 'user-agent': 'tomtejakt/0.1', ...headers },
      ...this.options.http,
      interceptors: [...(cache ? [cache.interceptor()] : []), ...(this.options.http?.interceptors ?? [])],
    });
    this.clients.set(name, client);
    return { client, cache };
  }
}

/** A rate as p-queue takes it: whole requests per interval (0.5/s → 1 per 2 s). */
function perSecond(rate: number): { requests: number; perMs: number } {
  return rate >= 1
    ? { requests: Math.round(rate), perMs: 1000 }
    : { requests: 1, perMs: Math.round(1000 / rate) };
}
