import type { HttpCache } from '../net/conditional-cache.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../net/http-client.js';
import { asSourceError } from './source-errors.js';

export interface SourceHttp {
  client: HttpClient;
  /** The conditional-request cache composed into `client`, to forget bodies that fail their checks. */
  cache?: HttpCache | null;
}

/**
 * GETs a URL and reads the answer with `read`. Whatever `read` refuses (a FormatError, an
 * InputError) becomes a SourceError naming kommune, source and redacted URL, and the cached copy
 * of that body is dropped so a bad answer is never replayed from the cache.
 */
export async function checkedGet<T>(
  http: SourceHttp,
  request: HttpRequest & { kommune?: string },
  read: (response: HttpResponse) => T | Promise<T>,
): Promise<T> {
  const context = { source: http.client.source, url: request.url, kommune: request.kommune };
  let response: HttpResponse;
  try {
    response = await http.client.request(request);
  } catch (error) {
    throw asSourceError(error, context);
  }
  try {
    return await read(response);
  } catch (error) {
    http.cache?.invalidate(request.url);
    throw asSourceError(error, context);
  }
}
