import type { Browser } from 'playwright-core';
import { chromiumMissing } from '../../sync/src/export/pdf/chromium-path.js';
import {
  chromiumPath as findChromium,
  launchChromium as launch,
} from '../../sync/src/export/pdf/html-to-pdf.js';

/** Debian's Chromium (no browser download), or CHROMIUM_PATH; null when neither is installed. */
export function chromiumPath(): string | null {
  return findChromium(process.env.CHROMIUM_PATH);
}

/** Debian's Chromium (no browser download), headless, quiet on the network. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) {
    throw new Error(chromiumMissing(process.env.CHROMIUM_PATH));
  }
  return launch(executablePath);
}
