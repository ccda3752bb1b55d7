/* global input, output, base */
// Tomtejakt – owner lookup: the body of an Airtable automation's "Run a script" action.
//
// Trigger: "When a record matches conditions", table Tomter, condition Eieroppslag is "Forespurt".
// Input variables (left panel of the script editor):
//   recordId          the trigger record's "Airtable record ID"
//   serviceUrl        https://<your Tomtejakt host>/webhooks/owner-lookup
//   requestedByName   (optional) the name of whoever set Eieroppslag, e.g. from a
//   requestedByEmail  (optional) "Last modified by" field limited to Eieroppslag
// Secret (script editor → Secrets): tomtejaktWebhookSecret = the service's WEBHOOK_SECRET.
//
// The service only queues the lookup and answers 202 at once; this script never waits for the
// Matrikkel. (An automation script may run ~30 s and a fetch fails after ~12 s.) The owners and
// the state (Pågår → Ferdig/Feilet) arrive in the record a few seconds later.
//
// When the call fails, the script itself sets the lot's Eieroppslag to "Feilet" with the reason
// (in Norwegian), so the lot never stays "Forespurt", and then fails the run (Airtable e-mails it).
//
// Set-up steps and the button-field fallback: docs/owner-lookup.md.

const config = input.config();
const recordIdOk = /^rec[A-Za-z0-9]{14}$/.test(config.recordId || '');

// Marks the lot failed with the reason, then fails the run with the technical message.
async function fail(reason, technical) {
  let marked = '';
  if (recordIdOk && typeof base !== 'undefined' && base && typeof base.getTable === 'function') {
    try {
      await base.getTable('Tomter').updateRecordAsync(config.recordId, {
        Eieroppslag: { name: 'Feilet' },
        'Eieroppslag melding': ('Eieroppslaget feilet: ' + reason).slice(0, 250),
      });
    } catch (error) {
      marked = ' (and the lot could not be marked "Feilet": ' + (error && error.message) + ')';
    }
  }
  throw new Error(technical + marked);
}

const secret =
  typeof input.secret === 'function' ? await input.secret('tomtejaktWebhookSecret') : config.webhookSecret;
if (!secret) {
  await fail(
    'automasjonen mangler hemmeligheten «tomtejaktWebhookSecret».',
    'Add the secret "tomtejaktWebhookSecret" (the service\'s WEBHOOK_SECRET).',
  );
}
if (!config.serviceUrl) {
  await fail(
    'automasjonen mangler adressen til tjenesten («serviceUrl»).',
    'Add the input variable "serviceUrl".',
  );
}
if (!recordIdOk) {
  throw new Error('The input variable "recordId" must be the trigger record\'s Airtable record ID.');
}

// HMAC-SHA256 in plain JavaScript, so the script needs nothing from the runtime but fetch.
function utf8(text) {
  const bytes = [];
  for (const ch of text) {
    const c = ch.codePointAt(0);
    if (c < 0x80) bytes.push(c);
    else if (c < 0x800) bytes.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) bytes.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else bytes.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return bytes;
}

const K = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
];

function sha256(bytes) {
  const h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
  const bitLength = bytes.length * 8;
  const padded = bytes.concat([0x80]);
  while (padded.length % 64 !== 56) padded.push(0);
  for (let i = 7; i >= 0; i--) padded.push(i >= 4 ? 0 : (bitLength >>> (i * 8)) & 0xff);
  const w = new Array(64);
  const rotr = (x, n) => (x >>> n) | (x << (32 - n));
  for (let offset = 0; offset < padded.length; offset += 64) {
    for (let i = 0; i < 16; i++) {
      const j = offset + i * 4;
      w[i] = ((padded[j] << 24) | (padded[j + 1] << 16) | (padded[j + 2] << 8) | padded[j + 3]) >>> 0;
    }
    for (let i = 16; i < 64; i++) {
      const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
      const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) >>> 0;
    }
    let [a, b, c, d, e, f, g, hh] = h;
    for (let i = 0; i < 64; i++) {
      const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) >>> 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) >>> 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) >>> 0;
    }
    h[0] = (h[0] + a) >>> 0;
    h[1] = (h[1] + b) >>> 0;
    h[2] = (h[2] + c) >>> 0;
    h[3] = (h[3] + d) >>> 0;
    h[4] = (h[4] + e) >>> 0;
    h[5] = (h[5] + f) >>> 0;
    h[6] = (h[6] + g) >>> 0;
    h[7] = (h[7] + hh) >>> 0;
  }
  return h.flatMap((x) => [x >>> 24, (x >>> 16) & 0xff, (x >>> 8) & 0xff, x & 0xff]);
}

function hmacSha256Hex(key, message) {
  let keyBytes = utf8(key);
  if (keyBytes.length > 64) keyBytes = sha256(keyBytes);
  while (keyBytes.length < 64) keyBytes.push(0);
  const inner = sha256(keyBytes.map((b) => b ^ 0x36).concat(utf8(message)));
  const outer = sha256(keyBytes.map((b) => b ^ 0x5c).concat(inner));
  return outer.map((b) => b.toString(16).padStart(2, '0')).join('');
}

const requestedBy = {};
if (config.requestedByName) requestedBy.name = String(config.requestedByName);
if (config.requestedByEmail) requestedBy.email = String(config.requestedByEmail);
const body = JSON.stringify({
  recordId: config.recordId,
  ...(typeof base !== 'undefined' && base && base.id ? { baseId: base.id } : {}),
  ...(Object.keys(requestedBy).length ? { requestedBy } : {}),
  nonce: Math.random().toString(36).slice(2, 12) + Date.now().toString(36),
});
const timestamp = String(Math.floor(Date.now() / 1000));

let response;
try {
  response = await fetch(config.serviceUrl, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-Tomtejakt-Timestamp': timestamp,
      'X-Tomtejakt-Signature': 'sha256=' + hmacSha256Hex(secret, timestamp + '.' + body),
    },
    body,
  });
} catch (error) {
  await fail(
    'fikk ikke kontakt med Tomtejakt (tjenesten er nede eller starter på nytt). Prøv igjen om litt.',
    'Tomtejakt could not be reached: ' + (error && error.message),
  );
}
let answer = {};
try {
  answer = await response.json();
} catch {
  // a proxy's HTML error page: reported below by status
}
if (response.status === 202) {
  output.set('jobId', answer.jobId);
  output.set('state', answer.joined ? 'joined an earlier lookup' : 'queued');
} else {
  // A failed run is e-mailed to the automation's owner: say exactly what is wrong.
  const technical = `Tomtejakt refused the owner lookup (HTTP ${response.status}): ${answer.message || answer.error || 'no message'}`;
  // Not configured: the service has told the lot itself ("Ikke konfigurert").
  if (answer.error === 'not-configured') throw new Error(technical);
  await fail(refusalReason(response.status, answer.error), technical);
}

// Why the service said no, in Norwegian, for the lot's message.
function refusalReason(status, error) {
  if (status === 401)
    return 'Tomtejakt avviste kallet (feil hemmelighet, eller klokken er mer enn fem minutter feil). Si fra til den som drifter Tomtejakt.';
  if (status === 404) return 'Tomtejakt kjenner ikke denne tomten.';
  if (error === 'store-unavailable')
    return 'Tomtejakt kunne ikke lagre bestillingen (lagringen er full eller utilgjengelig). Prøv igjen senere.';
  if (status >= 500) return `Tomtejakt svarte med feil (HTTP ${status}). Prøv igjen om litt.`;
  return `Tomtejakt avviste kallet (HTTP ${status}${error ? ', ' + error : ''}).`;
}
