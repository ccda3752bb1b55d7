/** Test tables for the kommune factors: JSON-stat datasets as SSB's PxWebApi v2 writes them. */

export type Var = {
  code: string;
  values: Array<[string, string]>;
  elimination?: boolean;
  codelists?: Array<{ id: string; label: string }>;
};

/** A JSON-stat 2.0 dataset shaped as SSB writes it (roles, extension.elimination/codelists). */
export function jsonStat(vars: Var[], value: Array<number | null> = [], status: Record<string, string> = {}) {
  return {
    version: '2.0',
    class: 'dataset',
    role: { time: ['Tid'], metric: ['ContentsCode'], geo: ['Region'] },
    id: vars.map((v) => v.code),
    size: vars.map((v) => v.values.length),
    dimension: Object.fromEntries(
      vars.map((v) => [
        v.code,
        {
          label: v.code,
          category: {
            index: Object.fromEntries(v.values.map(([c], i) => [c, i])),
            label: Object.fromEntries(v.values),
          },
          extension: { elimination: v.elimination ?? false, codelists: v.codelists ?? [] },
        },
      ]),
    ),
    value,
    status,
  };
}
