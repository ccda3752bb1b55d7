import type { IncomingMessage } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';

/** The most bytes a request body may have under a path (the longest matching path wins). */
export interface BodyLimit {
  path: string;
  bytes: number;
}

/** "4 KB (4096 bytes)": what a 413 says of the limit. */
export function bodyLimitText(bytes: number): string {
  return bytes >= 1024 && bytes % 1024 === 0 ? `${bytes / 1024} KB (${bytes} bytes)` : `${bytes} bytes`;
}

/**
 * Cuts every request body at its route's limit before anything else runs (authentication
 * included): a declared length over the limit is refused unread, a streamed body is counted as it
 * arrives and the connection is closed the moment it passes the limit, and a request answered
 * before its body was read to the end has its connection closed instead of the rest being read
 * and thrown away (Node would otherwise drain an endless body for as long as the client sends).
 */
export function cutBodiesAtLimit(limits: BodyLimit[], fallbackBytes: number): RequestHandler {
  const ordered = [...limits].sort((a, b) => b.path.length - a.path.length);
  const limitOf = (path: string) =>
    ordered.find((l) => path === l.path || path.startsWith(l.path.endsWith('/') ? l.path : `${l.path}/`))
      ?.bytes ?? fallbackBytes;
  return (req, res, next) => {
    const limit = limitOf(req.path);
    res.once('finish', () => {
      if (!req.complete) req.socket.destroy();
    });
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return refuse(req, res, limit);
    countBody(req, limit, () => refuse(req, res, limit));
    next();
  };
}

/**
 * Counts the body's bytes where the HTTP parser hands them to the request stream, so they are
 * counted whether or not a route reads them; past the limit nothing more is taken in.
 */
function countBody(req: IncomingMessage, limit: number, over: () => void): void {
  const push = req.push.bind(req);
  let seen = 0;
  let cut = false;
  req.push = (chunk: unknown, encoding?: BufferEncoding) => {
    if (chunk === null) return push(chunk, encoding);
    if (cut) return false;
    seen += (chunk as Buffer).length;
    if (seen <= limit) return push(chunk, encoding);
    cut = true;
    over();
    return false;
  };
}

function refuse(req: Request, res: Response, limit: number): void {
  req.socket.pause();
  if (res.headersSent) {
    req.socket.destroy();
    return;
  }
  res
    .status(413)
    .set('Connection', 'close')
    .json({ error: 'body-too-large', message: `the body may be at most ${bodyLimitText(limit)}` });
}
