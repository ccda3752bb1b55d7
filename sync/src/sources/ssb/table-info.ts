import { z } from 'zod';

/** `GET /tables/{id}`: enough to confirm a table is the current one (PxAPI-2.yml `Table`). */
export const ssbTableInfoSchema = z.looseObject({
  id: z.string(),
  label: z.string(),
  updated: z.string().nullable().optional(),
  firstPeriod: z.string().optional(),
  lastPeriod: z.string().optional(),
  timeUnit: z.string().optional(),
  discontinued: z.boolean().nullable().optional(),
  variableNames: z.array(z.string()).optional(),
});

export type SsbTableInfo = z.infer<typeof ssbTableInfoSchema>;

/** `GET /codeLists/{id}`: the codes a codelist offers; `valueMap` lists the source codes summed into each. */
export const ssbCodelistSchema = z.looseObject({
  id: z.string(),
  label: z.string().optional(),
  type: z.string().optional(),
  values: z.array(
    z.looseObject({ code: z.string(), label: z.string(), valueMap: z.array(z.string()).optional() }),
  ),
});

export type SsbCodelist = z.infer<typeof ssbCodelistSchema>;

/** The error body PxWebApi answers with (RFC 7807-like; diagnose from `title`). */
export const ssbProblemSchema = z.looseObject({
  type: z.string().optional(),
  title: z.string().optional(),
  status: z.number().optional(),
  detail: z.string().optional(),
});
