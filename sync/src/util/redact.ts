const SECRET_PARAM = /^(?:.*(?:key|token|secret|password|passord|signature|sig|auth|client_?id).*)$/i;

/** A URL safe to log: user info and secret-looking query parameters replaced by "***". */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    return String(url).replace(/\/\/[^@/]+@/, '//***@');
  }
  if (parsed.username) parsed.username = '***';
  if (parsed.password) parsed.password = '***';
  for (const key of [...parsed.searchParams.keys()]) {
    if (SECRET_PARAM.test(key)) parsed.searchParams.set(key, '***');
  }
  return parsed.toString().replace(/%2A%2A%2A/g, '***');
}

/** Replaces every occurrence of the given secrets in a text (for messages built from responses). */
export function redactSecrets(text: string, secrets: Array<string | undefined | null>): string {
  let result = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) result = result.split(secret).join('***');
  }
  return result;
}

const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>)]+/gi;
// A path of two or more segments not inside a URL or a word: /srv/tomtejakt/data, /home/x/.env
const PATH_IN_TEXT = /(?<![\w.:/])\/(?:[\w.@+-]+\/)+[\w.@+-]*/g;

/** A text safe to show outside the process: URLs redacted as by redactUrl, filesystem paths left out. */
export function redactText(text: string): string {
  return text.replace(URL_IN_TEXT, (url) => redactUrl(url)).replace(PATH_IN_TEXT, '(path)');
}
