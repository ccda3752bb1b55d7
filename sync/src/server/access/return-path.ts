/**
 * Where to go after logging in (`?neste=`): a path on this service, or `/`. Never another site:
 * `//host` and `/\host` are other hosts to a browser, a backslash or control character can turn
 * a path into one, and the login pages themselves would only loop.
 */
export function returnPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2000) return '/';
  if (!value.startsWith('/') || value.startsWith('//')) return '/';
  if (value.includes('\\') || hasControlCharacter(value)) return '/';
  return /^\/logg-(inn|ut)(?:[/?#]|$)/.test(value) ? '/' : value;
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
