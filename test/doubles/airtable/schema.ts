import { createTable, type DoubleBase } from './model.js';

/** Seeds a table straight into a double's base (tests that do not go through setup-base). */
export function seedTable(
  base: DoubleBase,
  spec: { name: string; description?: string; primary: FieldInput; fields: FieldInput[] },
) {
  return createTable(base, {
    name: spec.name,
    ...(spec.description ? { description: spec.description } : {}),
    fields: [spec.primary, ...spec.fields].map(({ name, type, options, description }) => ({
      name,
      type,
      ...(options ? { options } : {}),
      ...(description ? { description } : {}),
    })),
  });
}

interface FieldInput {
  name: string;
  type: string;
  options?: Record<string, unknown>;
  description?: string;
}
