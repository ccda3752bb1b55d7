import type { RequestHandler } from 'express';
import type { MapAccess } from './map-access.js';

/**
 * `GET /api/meg`: who the pages are showing to, and where to log out (login mode only; a proxy
 * has its own way out). Behind the team check, so it answers the team only.
 */
export function accountRoute(access: MapAccess): RequestHandler {
  const logout = access.mode === 'login' ? 'logg-ut' : null;
  return (_req, res) => {
    const user = typeof res.locals.user === 'string' ? res.locals.user : null;
    res.set('Cache-Control', 'no-store').json({ user, logout: user ? logout : null });
  };
}

/**
 * The pages' account line (ES5, like the page scripts): "Innlogget som kari · Logg ut" in the
 * element `#konto`, filled from `api/meg` with textContent only. The cached pages stay the same
 * for every user, so the line comes from a request of its own.
 */
export const ACCOUNT_SCRIPT = `(function () {
  var line = document.getElementById('konto');
  if (!line || !window.fetch) return;
  fetch('api/meg', { headers: { accept: 'application/json' } })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (me) {
      if (!me || !me.user) return;
      line.textContent = 'Innlogget som ' + me.user;
      if (me.logout) {
        var a = document.createElement('a');
        a.href = me.logout;
        a.textContent = 'Logg ut';
        line.appendChild(document.createTextNode(' · '));
        line.appendChild(a);
      }
      line.hidden = false;
    })
    .catch(function () {});
})();`;
