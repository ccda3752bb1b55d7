import type { IncomingMessage, ServerResponse } from 'node:http';
import { NS, SERVICES } from '../../../sync/src/sources/matrikkel/namespaces.js';
import {
  child,
  children,
  parseXml,
  textAt,
  type XmlElement,
} from '../../../sync/src/sources/matrikkel/xml.js';
import { readBody, startServer, type TestServer } from '../../helpers/http-server.js';
import { MatrikkelRegistry } from './registry.js';
import {
  faultXml,
  idReturn,
  LOGIN_PAGE,
  operationResponse,
  personXml,
  unitXml,
  type FaultCategory,
} from './responses.js';

/**
 * A local Matrikkel API: MatrikkelenhetServiceWS, StoreServiceWS and BrukerServiceWS over SOAP
 * 1.1, built from the WSDL/XSD shapes in shared/reference/matrikkel-wsdl. It checks requests the
 * way the real service does where it matters to a client: HTTP Basic (a wrong password gets the
 * HTML login page with HTTP 200), the matrikkelContext on every call, namespace-qualified
 * parameters, and `xsi:type` on StoreService ids (an untyped id fails with the real service's
 * mapping error). Faults can be injected per call.
 */
export type InjectedFault =
  | { kind: 'html-login' }
  | { kind: 'soap-fault'; category?: FaultCategory; message?: string }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'reset' }
  | { kind: 'http-503' };

export interface MatrikkelCall {
  service: string;
  operation: string;
  at: number;
  /** Ids asked for (getObject/getObjects) or the ident (findMatrikkelenhetIdForIdent). */
  detail: string;
}

export interface MatrikkelDoubleOptions {
  username?: string;
  password?: string;
  /** Answer time per call: a number, or [min, max] for a spread. */
  latencyMs?: number | [number, number];
  /** BrukerService.harLesEierforholdRettighet's answer. */
  mayReadOwners?: boolean;
}

export interface MatrikkelDouble {
  url: string;
  registry: MatrikkelRegistry;
  calls: MatrikkelCall[];
  /** The next `times` calls (optionally only of one operation) get this fault. */
  inject(fault: InjectedFault, options?: { times?: number; operation?: string }): void;
  setLatency(latency: MatrikkelDoubleOptions['latencyMs']): void;
  close(): Promise<void>;
}

const SERVICE_BY_PATH = new Map(Object.values(SERVICES).map((s) => [`/${s.endpoint}`, s]));
const CONTEXT_FIELDS = [
  'locale',
  'brukOriginaleKoordinater',
  'koordinatsystemKodeId',
  'systemVersion',
  'klientIdentifikasjon',
];
const ID_TYPES = new Map([
  [`${NS.matrikkelenhet}|MatrikkelenhetId`, 'unit'],
  [`${NS.person}|PersonId`, 'person'],
  [`${NS.person}|FysiskPersonId`, 'person'],
  [`${NS.person}|JuridiskPersonId`, 'person'],
]);

class Fault extends Error {
  constructor(
    readonly category: FaultCategory,
    message: string,
  ) {
    super(message);
  }
}

const FINDER: FaultCategory = ':ServiceException:ApplicationException:FinderException:';
const VALIDATION: FaultCategory = ':ServiceException:ApplicationException:ValidationException:';
const IMPLEMENTATION: FaultCategory = ':ServiceException:SystemException:ImplementationException:';
const OPERATIONAL: FaultCategory = ':ServiceException:SystemException:OperationalException:';

export async function startMatrikkelDouble(options: MatrikkelDoubleOptions = {}): Promise<MatrikkelDouble> {
  const username = options.username ?? 'tomtejakt-test';
  const password = options.password ?? 'correct horse battery staple';
  const expectedAuth = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const registry = new MatrikkelRegistry();
  const calls: MatrikkelCall[] = [];
  const faults: Array<{ fault: InjectedFault; times: number; operation?: string }> = [];
  let latency = options.latencyMs ?? 0;

  const delay = () => {
    const ms = Array.isArray(latency) ? latency[0] + Math.random() * (latency[1] - latency[0]) : latency;
    return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
  };

  function takeFault(operation: string): InjectedFault | null {
    const index = faults.findIndex((f) => !f.operation || f.operation === operation);
    if (index < 0) return null;
    const entry = faults[index]!;
    entry.times -= 1;
    if (entry.times <= 0) faults.splice(index, 1);
    return entry.fault;
  }

  function send(res: ServerResponse, status: number, body: string, type = 'text/xml; charset=utf-8') {
    res.writeHead(status, { 'content-type': type });
    res.end(body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const service = SERVICE_BY_PATH.get((req.url ?? '').split('?')[0]!);
    const raw = await readBody(req);
    if (!service || req.method !== 'POST') {
      send(res, 404, '<html><body>Not Found</body></html>', 'text/html');
      return;
    }
    let operation = '(unparsed)';
    let body: XmlElement | null = null;
    try {
      body = child(parseXml(raw), 'Body', NS.soapEnvelope);
      operation = body?.children[0]?.local ?? '(empty)';
    } catch {
      // answered below as an unmarshalling fault
    }
    const injected = takeFault(operation);
    const record = (detail: string) =>
      calls.push({ service: service.endpoint, operation, at: Date.now(), detail });
    if (injected) record(`injected ${injected.kind}`);
    if (injected?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (injected?.kind === 'slow') await new Promise((r) => setTimeout(r, injected.delayMs));
    await delay();
    if (req.headers.authorization !== expectedAuth || injected?.kind === 'html-login') {
      if (!injected) record('refused: wrong credentials');
      // The real front end answers a failed Basic login with its HTML page and HTTP 200.
      send(res, 200, LOGIN_PAGE, 'text/html; charset=iso-8859-1');
      return;
    }
    if (injected?.kind === 'http-503') {
      send(res, 503, '<html><body>Service Temporarily Unavailable</body></html>', 'text/html');
      return;
    }
    if (injected?.kind === 'soap-fault') {
      send(
        res,
        500,
        faultXml(injected.category ?? OPERATIONAL, injected.message ?? 'Databasen er ikke tilgjengelig'),
      );
      return;
    }
    try {
      const request = body?.children[0];
      if (!request) throw new Fault(IMPLEMENTATION, 'Unmarshalling Error: the body holds no operation');
      if (request.ns !== service.ns) {
        throw new Fault(IMPLEMENTATION, `Cannot find dispatch method for {${request.ns}}${request.local}`);
      }
      checkContext(request);
      const answer = dispatch(service.ns, request);
      record(answer.detail);
      send(res, 200, operationResponse(service.ns, operation, answer.xml));
    } catch (error) {
      record(`fault: ${(error as Error).message}`);
      if (error instanceof Fault) send(res, 500, faultXml(error.category, error.message));
      else send(res, 500, faultXml(IMPLEMENTATION, String(error)));
    }
  }

  function checkContext(request: XmlElement) {
    const context = child(request, 'matrikkelContext', request.ns);
    if (!context || request.children.at(-1) !== context) {
      throw new Fault(IMPLEMENTATION, 'matrikkelContext mangler (siste parameter i alle kall)');
    }
    for (const field of CONTEXT_FIELDS) {
      if (!child(context, field, NS.domain)) throw new Fault(VALIDATION, `matrikkelContext.${field} mangler`);
    }
    if (!textAt(child(context, 'koordinatsystemKodeId', NS.domain), 'value')) {
      throw new Fault(VALIDATION, 'matrikkelContext.koordinatsystemKodeId.value mangler');
    }
    const snapshot = child(context, 'snapshotVersion', NS.domain);
    if (snapshot) {
      const timestamp = textAt(snapshot, 'timestamp');
      if (!timestamp) throw new Fault(VALIDATION, 'snapshotVersion er angitt, men tom');
      if (!timestamp.startsWith('9999-01-01')) {
        throw new Fault(VALIDATION, 'Historiske data krever egen rolle (snapshotVersion er ikke 9999-01-01)');
      }
    }
  }

  function typedId(element: XmlElement | null): { kind: string; value: string } {
    const value = textAt(element, 'value');
    const type = element?.xsiType;
    const kind = type ? ID_TYPES.get(`${type.ns}|${type.local}`) : undefined;
    if (!kind || !value) {
      // What the real StoreService says to an untyped MatrikkelBubbleId (PorticoEstate/matrikkel bug report).
      throw new Fault(
        IMPLEMENTATION,
        'Error mapping from no.statkart.matrikkel.matrikkelapi.wsapi.v1.domain.MatrikkelBubbleId to ' +
          'no.statkart.skif.store.BubbleId<? extends T>: NoSuchMethodException',
      );
    }
    return { kind, value };
  }

  function objectXml(id: { kind: string; value: string }, element: string): string {
    if (id.kind === 'unit') {
      const unit = registry.units.get(id.value);
      if (unit) return unitXml(unit, element);
    } else {
      const person = registry.persons.get(id.value);
      if (person) return personXml(person, element);
    }
    throw new Fault(FINDER, `Fant ikke objekt med id ${id.value}`);
  }

  function dispatch(serviceNs: string, request: XmlElement): { xml: string | null; detail: string } {
    const op = request.local;
    if (serviceNs === SERVICES.matrikkelenhet.ns && op === 'findMatrikkelenhetIdForIdent') {
      const ident = child(request, 'matrikkelenhetIdent', serviceNs);
      const kommune = textAt(
        child(child(ident, 'kommuneIdent', NS.matrikkelenhet), 'kommunenummer', NS.kommune),
      );
      const number = (name: string) => Number(textAt(child(ident, name, NS.matrikkelenhet)) ?? NaN);
      const [gnr, bnr, fnr, snr] = ['gardsnummer', 'bruksnummer', 'festenummer', 'seksjonsnummer'].map(
        number,
      );
      if (!kommune || !/^\d{4}$/.test(kommune) || !Number.isInteger(gnr) || !Number.isInteger(bnr)) {
        throw new Fault(VALIDATION, 'MatrikkelenhetIdent må ha kommunenummer, gardsnummer og bruksnummer');
      }
      const detail = `${kommune}-${gnr}/${bnr}/${fnr || 0}/${snr || 0}`;
      const unit = registry.unitFor(
        kommune,
        gnr!,
        bnr!,
        Number.isInteger(fnr) ? fnr! : 0,
        Number.isInteger(snr) ? snr! : 0,
      );
      if (!unit) throw new Fault(FINDER, `Fant ikke matrikkelenhet ${detail}`);
      return { xml: idReturn(unit.id, 'ns3:MatrikkelenhetId'), detail };
    }
    if (serviceNs === SERVICES.store.ns && op === 'getObject') {
      const id = typedId(child(request, 'id', serviceNs));
      return { xml: objectXml(id, 'ns7:return'), detail: id.value };
    }
    if (serviceNs === SERVICES.store.ns && op === 'getObjects') {
      const items = children(child(request, 'ids', serviceNs), 'item').filter((i) => i.ns === NS.domain);
      const ids = items.map((item) => typedId(item));
      const xml = ids.map((id) => objectXml(id, 'ns2:item')).join('');
      return { xml: `<ns7:return>${xml}</ns7:return>`, detail: ids.map((i) => i.value).join(',') };
    }
    if (serviceNs === SERVICES.bruker.ns && op === 'getPaloggetBruker') {
      return { xml: idReturn('4711'), detail: '' };
    }
    if (serviceNs === SERVICES.bruker.ns && op === 'harLesEierforholdRettighet') {
      if (textAt(child(request, 'brukerId', serviceNs), 'value') !== '4711') {
        throw new Fault(FINDER, 'Ukjent bruker');
      }
      return { xml: `<ns7:return>${options.mayReadOwners ?? true}</ns7:return>`, detail: '4711' };
    }
    throw new Fault(IMPLEMENTATION, `The double does not implement ${op}`);
  }

  const server: TestServer = await startServer(handle);
  return {
    url: server.url,
    registry,
    calls,
    inject: (fault, opts = {}) =>
      faults.push({
        fault,
        times: opts.times ?? 1,
        ...(opts.operation ? { operation: opts.operation } : {}),
      }),
    setLatency: (value) => {
      latency = value ?? 0;
    },
    close: () => server.close(),
  };
}
