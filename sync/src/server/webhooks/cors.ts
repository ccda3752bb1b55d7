import type { NextFunction, Request, Response } from 'express';

/**
 * Released Airtable extensions run in frames on `https://block--….alt.airtableblocks.com`, dev
 * frames on other `*.airtableblocks.com` hosts (airtable.md §3.4); `block run` serves from
 * https://localhost:9000, which comes in through CORS_DEV_ORIGINS.
 */
const AIRTABLE_BLOCKS = /^https:\/\/(?:[a-z0-9-]+\.)+airtableblocks\.com$/i;

export function isAllowedOrigin(origin: string, devOrigins: string[]): boolean {
  return AIRTABLE_BLOCKS.test(origin) || devOrigins.includes(origin);
}

export function parseOrigins(list: string): string[] {
  return list
    .split(',')
    .map((s) => s.trim().replace(/\/+$/, ''))
    .filter(Boolean);
}

/**
 * Answers preflights for allowed origins only (403 without CORS headers otherwise) and adds the
 * CORS headers to real responses for allowed origins. Server-to-server callers (the Airtable
 * automation) send no Origin and are unaffected; authentication is what protects the endpoint.
 */
export function cors(devOrigins: string[], allowedHeaders: string[]) {
  return (req: Request, res: Response, next: NextFunction) => {
    const origin = req.headers.origin;
    res.vary('Origin');
    const allowed = origin !== undefined && isAllowedOrigin(origin, devOrigins);
    if (allowed) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Expose-Headers', 'Retry-After');
    }
    if (req.method !== 'OPTIONS') return next();
    if (!allowed) {
      res
        .status(403)
        .json({ error: 'origin-not-allowed', message: 'CORS: this origin may not call the webhook' });
      return;
    }
    res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', allowedHeaders.join(', '));
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
  };
}
