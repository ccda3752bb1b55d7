import { initializeBlock } from '@airtable/blocks/ui';
import { TomtekartApp } from './app.js';

initializeBlock(() => <TomtekartApp />);
