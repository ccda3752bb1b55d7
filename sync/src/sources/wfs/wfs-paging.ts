import { SourceError } from '../../util/errors.js';
import { redactUrl } from '../../util/redact.js';
import { checkedGet, type SourceHttp } from '../checked-get.js';
import type { HttpResponse } from '../../net/http-client.js';

export interface WfsPage<T> {
  items: T[];
  /** Members in the answer, counted (the teig WFS says numberReturned="0" while returning members). */
  members: number;
  /** numberMatched when the service gave a number. */
  numberMatched: number | null;
}

export interface WfsPagingOptions {
  kommune?: string;
  signal?: AbortSignal;
  maxPages?: number;
}

/**
 * WFS 2.0 GetFeature paging with `count` and `startIndex`: asks page after page until one holds
 * fewer members than asked for. Each page is read by `read` (which raises the typed errors);
 * a service whose numberMatched promised more than it delivered fails as truncated.
 */
export async function pageWfs<T>(
  http: SourceHttp,
  baseUrl: string,
  params: Record<string, string>,
  pageSize: number,
  read: (response: HttpResponse, url: string) => Promise<WfsPage<T>>,
  options: WfsPagingOptions = {},
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let startIndex = 0;
  let matched: number | null = null;
  const maxPages = options.maxPages ?? 10_000;
  for (let page = 0; ; page++) {
    const url = new URL(baseUrl);
    for (const [key, value] of Object.entries({
      SERVICE: 'WFS',
      VERSION: '2.0.0',
      REQUEST: 'GetFeature',
      ...params,
      COUNT: String(pageSize),
      STARTINDEX: String(startIndex),
    })) {
      url.searchParams.set(key, value);
    }
    if (page >= maxPages) {
      throw new SourceError('malformed', `more than ${maxPages} pages; stopped`, {
        source: http.client.source,
        kommune: options.kommune,
        url: redactUrl(url),
      });
    }
    const href = url.toString();
    const result = await checkedGet(
      http,
      { url: href, kommune: options.kommune, signal: options.signal },
      (response) => read(response, href),
    );
    items.push(...result.items);
    startIndex += result.members;
    matched = result.numberMatched ?? matched;
    if (result.members < pageSize) {
      if (matched !== null && startIndex < matched) {
        throw new SourceError(
          'truncated',
          `numberMatched=${matched} but only ${startIndex} features arrived`,
          {
            source: http.client.source,
            kommune: options.kommune,
            url: redactUrl(href),
          },
        );
      }
      return { items, pages: page + 1 };
    }
  }
}

export function numberOrNull(value: string | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : null;
}
