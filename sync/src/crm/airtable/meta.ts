import type { AirtableTransport } from './transport.js';
import type { AirtableFieldModel, AirtableMetaClient, AirtableTableModel } from './types.js';

/**
 * The Metadata API calls setup-base needs (docs: get-base-schema, create-table, create-field).
 * Creating a table or field is not idempotent: a repeat after a timeout could fail on the name
 * the first attempt already took, so it is repeated only when Airtable certainly did nothing.
 */
export function metaClient(transport: AirtableTransport): AirtableMetaClient {
  const basePath = `/v0/meta/bases/${transport.baseId}/tables`;
  return {
    listTables: async () => {
      const body = await transport.send<{ tables: AirtableTableModel[] }>({
        method: 'GET',
        path: basePath,
        repeat: 'idempotent',
      });
      return body.tables;
    },
    createTable: (table) =>
      transport.send<AirtableTableModel>({
        method: 'POST',
        path: basePath,
        body: table,
        table: table.name,
        repeat: 'only-if-not-processed',
        write: true,
      }),
    createField: (tableId, field) =>
      transport.send<AirtableFieldModel>({
        method: 'POST',
        path: `${basePath}/${tableId}/fields`,
        body: field,
        table: tableId,
        repeat: 'only-if-not-processed',
        write: true,
        // A 422 then names the field and its type, as for a rejected record value.
        records: [{ fields: { [field.name]: field.type } }],
      }),
  };
}
