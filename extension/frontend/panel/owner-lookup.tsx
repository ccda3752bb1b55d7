import { useEffect, useRef, useState } from 'react';
import { FieldType, type Field, type Record as AirtableRecord, type Table } from '@airtable/blocks/models';
import { Box, Button, Text, useSession } from '@airtable/blocks/ui';
import { OwnerLookupState, TomterField } from '@tomtejakt/sync/crm/schema';
import {
  lookupButtonLabel,
  lookupExplanation,
  lookupRunning,
  lookupSteps,
  requestedAtOf,
  requestedMessage,
  requestStale,
} from './lookup-steps.js';

interface OwnerLookupProps {
  table: Table;
  record: AirtableRecord;
  /** The Eieroppslag field, or null when the base has none. */
  field: Field | null;
  /** The Eieroppslag melding field (the request's time is written there), or null. */
  messageField?: Field | null;
  state: string | null;
  message: string | null;
}

/**
 * When this session first saw each lot "Forespurt", for a request made outside the extension
 * (whose message carries no time). Kept for the session, across panels.
 */
const firstSeenRequested = new Map<string, Date>();

/** The time now, renewed every 30 s, so an old request turns retryable while the panel is open. */
function useNow(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** How old the lot's "Forespurt" is: from its message, else from when this session first saw it. */
function requestedAt(recordId: string, state: string | null, message: string | null): Date | null {
  if (state !== OwnerLookupState.forespurt) {
    firstSeenRequested.delete(recordId);
    return null;
  }
  const written = requestedAtOf(message);
  if (written) return written;
  if (!firstSeenRequested.has(recordId)) firstSeenRequested.set(recordId, new Date());
  return firstSeenRequested.get(recordId)!;
}

/** The value that asks for a lookup, in the cell format of the field's type. */
function requestValue(field: Field): unknown {
  return field.type === FieldType.SINGLE_SELECT
    ? { name: OwnerLookupState.forespurt }
    : OwnerLookupState.forespurt;
}

function missingChoice(field: Field): boolean {
  if (field.type !== FieldType.SINGLE_SELECT) return false;
  const choices = (field.options?.choices ?? []) as Array<{ name: string }>;
  return !choices.some((choice) => choice.name === OwnerLookupState.forespurt);
}

/**
 * "Finn eier": sets Eieroppslag to Forespurt. An Airtable automation then calls the service's
 * signed webhook, so the extension holds no secret; the service writes the state back as it
 * goes (Pågår → Ferdig/Feilet), and the panel shows it because the record is live.
 */
export function OwnerLookup({ table, record, field, messageField = null, state, message }: OwnerLookupProps) {
  useSession(); // re-render when the user's permission level changes
  const now = useNow();
  const stale = requestStale(state, requestedAt(record.id, state, message), now);
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  // The user may close the panel while the write is on its way.
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );

  if (!field) {
    return (
      <Text textColor="light" marginTop={2}>
        Tabellen har ikke feltet «{TomterField.eieroppslag}», så eieroppslag kan ikke bestilles herfra. Kjør
        «tomtejakt setup-base» eller velg feltet i innstillingene.
      </Text>
    );
  }

  const general = table.checkPermissionsForUpdateRecords();
  const explanation = lookupExplanation(state, message, stale);
  const steps = lookupSteps(state);

  async function requestLookup() {
    if (!field) return;
    setProblem(null);
    const fields = { [field.id]: requestValue(field) };
    const check = table.checkPermissionsForUpdateRecords([{ id: record.id, fields }]);
    if (!check.hasPermission) {
      setProblem(
        `Airtable tillater deg ikke å endre «${field.name}» på denne tomten: ${check.reasonDisplayString} ` +
          'Be en som eier basen om redigeringstilgang til feltet, eller om å trykke «Finn eier» for deg.',
      );
      return;
    }
    if (missingChoice(field)) {
      setProblem(
        `Feltet «${field.name}» mangler valget «${OwnerLookupState.forespurt}». Kjør «tomtejakt setup-base» for å legge det til.`,
      );
      return;
    }
    // The request's time goes in the message (where permitted), so anyone can see how old it is.
    const withTime = messageField ? { ...fields, [messageField.id]: requestedMessage(new Date()) } : fields;
    const timed = table.checkPermissionsForUpdateRecords([{ id: record.id, fields: withTime }]).hasPermission;
    setSending(true);
    try {
      // The automation fires when a lot starts to match "Forespurt": an old request is cleared first.
      if (stale) await table.updateRecordsAsync([{ id: record.id, fields: { [field.id]: null } }]);
      await table.updateRecordsAsync([{ id: record.id, fields: timed ? withTime : fields }]);
    } catch (error) {
      if (mounted.current) {
        setProblem(`Bestillingen ble ikke lagret: ${error instanceof Error ? error.message : String(error)}`);
      }
    } finally {
      if (mounted.current) setSending(false);
    }
  }

  return (
    <Box marginTop={2} className="tomtekart-lookup">
      <ol className="tomtekart-steps" aria-label="Eieroppslagets fremdrift">
        {steps.map((step) => (
          <li
            key={step.label}
            className={`tomtekart-step tomtekart-step--${step.state}`}
            aria-current={step.state === 'current' ? 'step' : undefined}
          >
            {step.label}
          </li>
        ))}
      </ol>
      <div role="status" aria-live="polite" className="tomtekart-lookup-status">
        {explanation && <Text marginY={1}>{explanation}</Text>}
      </div>
      {general.hasPermission ? (
        <Button
          variant="primary"
          icon="search"
          disabled={sending || lookupRunning(state, stale)}
          onClick={() => void requestLookup()}
        >
          {sending ? 'Bestiller …' : lookupButtonLabel(state, stale)}
        </Button>
      ) : (
        <Text textColor="light" className="tomtekart-readonly">
          Du har bare lesetilgang til denne basen, så du kan ikke bestille eieroppslag. Be en med
          redigeringstilgang om å trykke «Finn eier».
        </Text>
      )}
      {problem && (
        <Text role="alert" textColor="#b3261e" marginTop={1}>
          {problem}
        </Text>
      )}
    </Box>
  );
}
