import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/** The bodies of a page's inline scripts that run (not `src=`, not JSON data blocks). */
export function inlineScripts(html: string): string[] {
  return [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
}

const hashOf = (script: string) => `'sha256-${createHash('sha256').update(script).digest('base64')}'`;

/**
 * helmet's headers on every response (nosniff, no framing, no referrer across origins, HSTS …)
 * with a Content-Security-Policy that lets the pages load only their own files, run only their
 * own inline scripts (by hash: they are fixed text) and show images only from the service and
 * the tile server. Styles may be inline (the pages colour the legend with `style=`); no
 * upgrade-insecure-requests, since the service is also run over plain HTTP on a laptop.
 */
export function securityHeaders(options: { tileOrigin: string; scripts: string[] }): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", ...new Set(options.scripts.map(hashOf))],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", options.tileOrigin],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
  });
}
