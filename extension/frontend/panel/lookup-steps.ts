import { OwnerLookupState } from '@tomtejakt/sync/crm/schema';

export type StepState = 'done' | 'current' | 'todo' | 'failed';

export interface LookupStep {
  label: string;
  state: StepState;
}

/** The owner lookup's path, Forespurt → Pågår → Ferdig/Feilet, with where the lot is on it. */
export function lookupSteps(state: string | null): LookupStep[] {
  const S = OwnerLookupState;
  const step = (label: string, s: StepState): LookupStep => ({ label, state: s });
  switch (state) {
    case S.forespurt:
      return [step(S.forespurt, 'current'), step(S.pagar, 'todo'), step(S.ferdig, 'todo')];
    case S.pagar:
      return [step(S.forespurt, 'done'), step(S.pagar, 'current'), step(S.ferdig, 'todo')];
    case S.ferdig:
      return [step(S.forespurt, 'done'), step(S.pagar, 'done'), step(S.ferdig, 'done')];
    case S.feilet:
      return [step(S.forespurt, 'done'), step(S.pagar, 'done'), step(S.feilet, 'failed')];
    case S.ikkeKonfigurert:
      return [step(S.forespurt, 'done'), step(S.ikkeKonfigurert, 'failed')];
    default:
      return [step(S.forespurt, 'todo'), step(S.pagar, 'todo'), step(S.ferdig, 'todo')];
  }
}

/**
 * A request still "Forespurt" after this long never reached the service (the automation runs
 * within seconds): the user may ask again. The service fails it by itself later
 * (OWNER_LOOKUP_STUCK_MINUTES), but the user need not wait for that.
 */
export const STALE_REQUEST_MINUTES = 5;

/** True while the service works on it: asking again would only queue a duplicate. */
export const lookupRunning = (state: string | null, stale = false): boolean =>
  (state === OwnerLookupState.forespurt && !stale) || state === OwnerLookupState.pagar;

/** Whether a "Forespurt" made at `requestedAt` (null: unknown) is old enough to ask again. */
export function requestStale(state: string | null, requestedAt: Date | null, now: Date): boolean {
  return (
    state === OwnerLookupState.forespurt &&
    requestedAt !== null &&
    now.getTime() - requestedAt.getTime() >= STALE_REQUEST_MINUTES * 60_000
  );
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "Bestilt 06.12.2026 kl. 19:05." (local time): written with the request, read back for its age. */
export function requestedMessage(at: Date): string {
  const date = `${pad(at.getDate())}.${pad(at.getMonth() + 1)}.${at.getFullYear()}`;
  return `Bestilt ${date} kl. ${pad(at.getHours())}:${pad(at.getMinutes())}.`;
}

/** When the request in this message was made, or null when the message is not one. */
export function requestedAtOf(message: string | null): Date | null {
  const m = /^Bestilt (\d{2})\.(\d{2})\.(\d{4}) kl\. (\d{2}):(\d{2})\.$/.exec(message ?? '');
  if (!m) return null;
  const [, day, month, year, hour, minute] = m.map(Number);
  return new Date(year!, month! - 1, day!, hour!, minute!);
}

export function lookupButtonLabel(state: string | null, stale = false): string {
  if (stale) return 'Prøv igjen';
  if (lookupRunning(state)) return 'Eieroppslag pågår …';
  if (state === OwnerLookupState.ferdig) return 'Finn eier på nytt';
  if (state === OwnerLookupState.feilet || state === OwnerLookupState.ikkeKonfigurert) return 'Prøv igjen';
  return 'Finn eier';
}

/** One sentence on what the state means for the user, in Norwegian. */
export function lookupExplanation(
  state: string | null,
  message: string | null,
  stale = false,
): string | null {
  if (stale)
    return `Bestillingen har stått på «Forespurt» i mer enn ${STALE_REQUEST_MINUTES} minutter uten at Tomtejakt har startet oppslaget. Automasjonen nådde kanskje ikke tjenesten. Prøv igjen, og sjekk at automasjonen for eieroppslag er slått på.`;
  switch (state) {
    case OwnerLookupState.forespurt:
      return 'Bestilt. Airtable-automasjonen sender bestillingen til Tomtejakt. Blir den stående på «Forespurt», sjekk at automasjonen for eieroppslag er slått på.';
    case OwnerLookupState.pagar:
      return 'Henter hjemmelshavere fra Matrikkelen …';
    case OwnerLookupState.ferdig:
      return message;
    case OwnerLookupState.feilet:
      return `Eieroppslaget feilet${message ? `: ${message}` : '.'}`;
    case OwnerLookupState.ikkeKonfigurert:
      return `Eieroppslag er ikke satt opp på serveren (Matrikkel-tilgang mangler)${message ? `: ${message}` : '.'}`;
    default:
      return null;
  }
}
