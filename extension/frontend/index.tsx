import { initializeBlock, Text } from '@airtable/blocks/ui';
import React from 'react';

function TomtekartApp() {
  return <Text>Tomtejakt</Text>;
}

initializeBlock(() => <TomtekartApp />);
