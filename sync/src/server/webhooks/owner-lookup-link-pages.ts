import type { Response } from 'express';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A page of the button-field fallback, in Norwegian (the sales team reads it). The URL and the
 * form carry the link key, so nothing is cached or sent on as a referrer; no framing, so the
 * button cannot be clickjacked.
 */
function page(res: Response, status: number, title: string, body: string): void {
  res
    .status(status)
    .set({
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
      // Stricter than the app's policy (helmet): these pages run no script and load nothing.
      'Content-Security-Policy':
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
    })
    .send(
      `<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
        '<meta name="viewport" content="width=device-width,initial-scale=1">' +
        '<style>body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem}' +
        'input{font:inherit;padding:.4rem;width:100%;box-sizing:border-box}button{font:inherit;padding:.5rem 1rem;margin-top:1rem}</style>' +
        `</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
    );
}

export const linkNotInUsePage = (res: Response) =>
  page(res, 404, 'Ikke i bruk', '<p>Eieroppslag via lenke er ikke slått på for denne tjenesten.</p>');

export const invalidLinkPage = (res: Response) =>
  page(
    res,
    401,
    'Ugyldig lenke',
    '<p>Lenken mangler eller har feil nøkkel. Be den som satte opp basen om en ny knapp.</p>',
  );

export const notALotPage = (res: Response) =>
  page(res, 404, 'Fant ikke tomten', '<p>Posten er ikke en tomt i Tomtejakt.</p>');

/** The GET answer: a form that posts the record id and key back with the requester's name. */
export function confirmationPage(
  res: Response,
  link: { tomtId: string; recordId: string; key: string },
): void {
  page(
    res,
    200,
    `Hent eiere for ${link.tomtId}`,
    '<p>Hjemmelshaverne hentes fra Matrikkelen og skrives inn i Airtable. Oppslaget loggføres med navnet ditt.</p>' +
      '<form method="post">' +
      `<input type="hidden" name="recordId" value="${escapeHtml(link.recordId)}">` +
      `<input type="hidden" name="key" value="${escapeHtml(link.key)}">` +
      '<label for="who">Hvem ber om oppslaget? (navn eller e-post)</label>' +
      '<input id="who" name="requestedBy" required maxlength="200" autocomplete="name">' +
      '<button type="submit">Hent eiere</button></form>',
  );
}

export const missingNamePage = (res: Response) =>
  page(
    res,
    400,
    'Mangler navn',
    '<p>Skriv navnet ditt eller e-postadressen din, så oppslaget kan loggføres.</p>',
  );

export const lookupStartedPage = (res: Response, tomtId: string) =>
  page(
    res,
    202,
    'Eieroppslag startet',
    `<p>Eierne av ${escapeHtml(tomtId)} kommer inn i Airtable om noen sekunder. Du kan lukke denne fanen.</p>`,
  );
