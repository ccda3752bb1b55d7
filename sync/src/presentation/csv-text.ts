/** Line breaks and tabs: turned into a space, so the words either side stay apart. */
const BREAKS = /[\t\n\r\v\f\u0085\u2028\u2029]/g;
/** Other control characters and the bidirectional overrides that can disguise a cell's text. */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000E-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/**
 * Text safe for a spreadsheet cell: control characters stripped (escape sequences, NUL, bidi
 * overrides) and a leading `=`, `+`, `-` or `@` (after any spaces) defused with an apostrophe, so
 * Excel, LibreOffice and Google Sheets never run a cell as a formula (OWASP "CSV injection").
 */
export function spreadsheetSafeText(value: string): string {
  const clean = value.replace(BREAKS, ' ').replace(CONTROLS, '');
  return /^\s*[=+\-@]/.test(clean) ? `'${clean}` : clean;
}

/** One CSV field, always quoted, its text made spreadsheet-safe. */
export function quotedCsvField(value: unknown): string {
  return `"${spreadsheetSafeText(String(value ?? '')).replace(/"/g, '""')}"`;
}
