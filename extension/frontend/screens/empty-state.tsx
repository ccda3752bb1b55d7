import { Box, Heading, Text } from '@airtable/blocks/ui';

/** Shown while the Tomter table has no records: how to get the first lots in. */
export function EmptyState({ tableName }: { tableName: string }) {
  return (
    <Box className="tomtekart-message" padding={4}>
      <Heading size="small">Ingen tomter ennå</Heading>
      <Text marginBottom={2}>
        Tabellen «{tableName}» er tom. Tomtene kommer hit når Tomtejakt har kjørt sin første synkronisering:
      </Text>
      <ol>
        <li>
          <Text>
            Sett <code>AIRTABLE_TOKEN</code> og <code>AIRTABLE_BASE_ID</code> for denne basen i tjenestens{' '}
            <code>.env</code>.
          </Text>
        </li>
        <li>
          <Text>
            Kjør <code>npx tomtejakt setup-base</code> (lager feltene) og så <code>npx tomtejakt run</code>{' '}
            (finner og skriver tomtene).
          </Text>
        </li>
        <li>
          <Text>
            Deretter holder <code>npm start</code> tabellen oppdatert hver natt. Kartet viser tomtene så snart
            de er skrevet – du trenger ikke laste utvidelsen på nytt.
          </Text>
        </li>
      </ol>
    </Box>
  );
}
