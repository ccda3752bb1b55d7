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

/** True while the service works on it: asking again would only queue a duplicate. */
export const lookupRunning = (state: string | null): boolean =>
  state === OwnerLookupState.forespurt || state === OwnerLookupState.pagar;

export function lookupButtonLabel(state: string | null): string {
  if (lookupRunning(state)) return 'Eieroppslag pågår …';
  if (state === OwnerLookupState.ferdig) return 'Finn eier på nytt';
  if (state === OwnerLookupState.feilet || state === OwnerLookupState.ikkeKonfigurert) return 'Prøv igjen';
  return 'Finn eier';
}

/** One sentence on what the state means for the user, in Norwegian. */
export function lookupExplanation(state: string | null, message: string | null): string | null {
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
