/**
 * Airtable formula pieces (filterByFormula). Strings are single-quoted with backslash escapes, as
 * in Airtable's formula language.
 */
export function formulaString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function fieldRef(name: string): string {
  if (/[{}]/.test(name)) throw new Error(`field name ${JSON.stringify(name)} cannot be used in a formula`);
  return `{${name}}`;
}

/** A formula true for records whose field equals one of the values. */
export function fieldIsOneOf(field: string, values: string[]): string {
  if (values.length === 0) return 'FALSE()';
  const tests = values.map((v) => `${fieldRef(field)}=${formulaString(v)}`);
  return tests.length === 1 ? tests[0]! : `OR(${tests.join(',')})`;
}
