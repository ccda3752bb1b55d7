import { existsSync } from 'node:fs';

/** Debian's Chromium (apt-get install chromium), where CHROMIUM_PATH is not set. */
export const DEFAULT_CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/**
 * The configured Chromium (CHROMIUM_PATH), else Debian's; null when none is installed. Apart from
 * html-to-pdf.ts so the service and the CLI can check for it without loading playwright-core
 * (about a second, more on a loaded machine) until a PDF is printed.
 */
export function chromiumPath(configured?: string): string | null {
  const candidates = configured ? [configured] : DEFAULT_CHROMIUM_PATHS;
  return candidates.find((p) => existsSync(p)) ?? null;
}

/** What to say when no Chromium is found: where it was looked for and how to get one. */
export function chromiumMissing(configured?: string): string {
  return `Chromium not found at ${configured ?? DEFAULT_CHROMIUM_PATHS.join(' or ')}: apt-get install chromium (or set CHROMIUM_PATH)`;
}
