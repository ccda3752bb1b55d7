/** A string literal for filterByFormula: single-quoted, with backslashes and quotes escaped. */
export function formulaString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** `OR({field}='a', {field}='b', …)` in chunks short enough for Airtable's URL limit. */
export function anyOfFormulas(field: string, values: string[], chunkSize = 40): string[] {
  const formulas: string[] = [];
  for (let i = 0; i < values.length; i += chunkSize) {
    const terms = values.slice(i, i + chunkSize).map((v) => `{${field}}=${formulaString(v)}`);
    formulas.push(terms.length === 1 ? terms[0]! : `OR(${terms.join(', ')})`);
  }
  return formulas;
}
