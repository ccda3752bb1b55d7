import type { LayerStatus } from '../../domain/kommune.js';
import { joinNorwegian } from './wording.js';

/**
 * The Norwegian for national layers that could not be checked, kept apart from the other
 * templates so the wording can be reviewed on its own. `labels` are lower case ("kvikkleire",
 * "flomsoner"); the sentences read "Kvikkleire og flomsoner er ikke sjekket …".
 */
export const LAYER_WORDING = {
  /** The confidence reason (the explanation's last sentence when it is the first reason). */
  confidenceReason: (labels: string) =>
    `${capitalised(labels)} er ikke sjekket fordi kartdataene ikke var tilgjengelige.`,
  /** A sentence of its own in the explanation when another reason comes first. */
  notChecked: (labels: string) => `Ikke sjekket: ${labels}.`,
} as const;

/** The labels of the layers that were not checked for the kommune, in layer order. */
export function uncheckedLayers(statuses: readonly LayerStatus[] | undefined): string[] {
  return (statuses ?? []).filter((s) => s.status !== 'fetched').map((s) => s.label);
}

export const joinLayerLabels = (labels: readonly string[]) => joinNorwegian(labels);

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * The explanation's "Ikke sjekket: …" sentence, or null when no layer is unchecked or the
 * confidence sentence already says it (its first reason is the layers' reason).
 */
export function uncheckedSentence(
  labels: readonly string[] | undefined,
  firstReason: string | undefined,
): string | null {
  if (!labels?.length) return null;
  const joined = joinLayerLabels(labels);
  return firstReason === LAYER_WORDING.confidenceReason(joined) ? null : LAYER_WORDING.notChecked(joined);
}
