import type { Response } from 'express';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The pages someone without access sees, in Norwegian (the team reads them). Never cached, never
 * framed (a login form in a frame can be clickjacked), no script at all.
 */
function sendPage(res: Response, status: number, title: string, body: string): void {
  res
    .status(status)
    .set({
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Frame-Options': 'DENY',
      'Content-Security-Policy':
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
    })
    .send(
      `<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Tomtejakt – ${escapeHtml(title)}</title>` +
        '<meta name="viewport" content="width=device-width,initial-scale=1">' +
        '<style>body{font:16px/1.5 system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem;color:#1d1d1d}' +
        'label{display:block;margin-top:.8rem}input{font:inherit;padding:.4rem;width:100%;box-sizing:border-box}' +
        'button{font:inherit;padding:.5rem 1.2rem;margin-top:1.2rem}.feil{color:#a40000}.muted{color:#666}</style>' +
        `</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
    );
}

export type LoginNotice = 'wrong' | 'too-many' | 'logged-out' | null;

const NOTICES: Record<Exclude<LoginNotice, null>, string> = {
  wrong: '<p class="feil" role="alert">Feil brukernavn eller passord.</p>',
  'too-many': '<p class="feil" role="alert">For mange mislykkede forsøk. Vent et minutt og prøv igjen.</p>',
  'logged-out': '<p class="muted" role="status">Du er logget ut.</p>',
};

/** `/logg-inn`: the form posts to itself and carries where to go next. */
export function sendLoginPage(
  res: Response,
  status: number,
  options: { next: string; user?: string; notice?: LoginNotice },
): void {
  const notice = options.notice ? NOTICES[options.notice] : '';
  sendPage(
    res,
    status,
    'Logg inn',
    `<p class="muted">Kartet over tomter og kommunerangeringen er bare for teamet.</p>${notice}` +
      '<form method="post" action="logg-inn">' +
      `<input type="hidden" name="neste" value="${escapeHtml(options.next)}">` +
      `<label>Brukernavn <input name="bruker" autocomplete="username" required autofocus value="${escapeHtml(options.user ?? '')}"></label>` +
      '<label>Passord <input name="passord" type="password" autocomplete="current-password" required></label>' +
      '<button type="submit">Logg inn</button></form>',
  );
}

/** PUBLIC_BASE_URL is set and MAP_ACCESS is not: the company's data is not served to the internet. */
export const CLOSED_TEXT =
  'Kartet, tomtene og kommunerangeringen er stengt: tjenesten er åpen mot internett (PUBLIC_BASE_URL), ' +
  'men tilgang for teamet er ikke satt opp. Den som drifter tjenesten må sette MAP_ACCESS til login ' +
  '(med MAP_USERS og MAP_SESSION_SECRET) eller proxy-header i .env og starte tjenesten på nytt.';

export const NO_PROXY_USER_TEXT =
  'Du er ikke logget inn: innloggingen foran tjenesten sendte ingen bruker. Logg inn på nytt, ' +
  'eller kontakt den som drifter tjenesten.';

export const NOT_ALLOWED_TEXT =
  'Brukeren din har ikke tilgang til kartet og kommunerangeringen. Kontakt den som drifter tjenesten.';

export const sendClosedPage = (res: Response) =>
  sendPage(res, 403, 'Kartet er stengt', `<p>${escapeHtml(CLOSED_TEXT)}</p>`);

export const sendNoProxyUserPage = (res: Response) =>
  sendPage(res, 401, 'Ikke logget inn', `<p>${escapeHtml(NO_PROXY_USER_TEXT)}</p>`);

export const sendNotAllowedPage = (res: Response) =>
  sendPage(res, 403, 'Ingen tilgang', `<p>${escapeHtml(NOT_ALLOWED_TEXT)}</p>`);
