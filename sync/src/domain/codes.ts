/**
 * SOSI Plan code lists (names in Norwegian, as the sales team reads them).
 * Sources: DiBK NAP styles (Arkitektum/styles.ft.dibk.no sld/kommuneplan/*.sld, 2025-12-15) and the
 * SOSI Plan UML model, summarised in shared/reference/notes/geodata.md §1.
 */

/** KpArealformål (PBL 2008), KpArealformålOmråde.arealformål. */
export const KP_AREALFORMAL: Record<number, string> = {
  1000: 'Bebyggelse og anlegg – generalisert',
  1001: 'Bebyggelse og anlegg',
  1110: 'Boligbebyggelse',
  1120: 'Fritidsbebyggelse',
  1130: 'Sentrumsformål',
  1140: 'Kjøpesenter',
  1150: 'Forretninger',
  1160: 'Offentlig eller privat tjenesteyting',
  1170: 'Fritids- og turistformål',
  1200: 'Råstoffutvinning',
  1300: 'Næringsbebyggelse',
  1400: 'Idrettsanlegg',
  1500: 'Andre typer bebyggelse og anlegg',
  1600: 'Uteoppholdsareal',
  1700: 'Grav og urnelund',
  1800: 'Kombinert bebyggelse og anleggsformål',
  2000: 'Samferdsel – generalisert',
  2001: 'Samferdselsanlegg og teknisk infrastruktur',
  2010: 'Veg',
  2020: 'Bane',
  2030: 'Lufthavn',
  2040: 'Havn',
  2080: 'Parkering',
  3001: 'Grønnstruktur',
  3020: 'Naturområde',
  3030: 'Turdrag',
  3040: 'Friområde',
  3050: 'Park',
  5001: 'LNFR',
  5100: 'LNFR-areal for nødvendige tiltak for landbruk og reindrift',
  5200: 'LNFR-areal for spredt bolig-, fritids- eller næringsbebyggelse',
  5210: 'Spredt boligbebyggelse',
  5220: 'Spredt fritidsbebyggelse',
  5230: 'Spredt næringsbebyggelse',
  6001: 'Bruk og vern av sjø og vassdrag',
};

/** KpArealbruk (PBL 1985), KpArealbrukOmråde.arealbruk: old plans still in force use these. */
export const KP_AREALBRUK: Record<number, string> = {
  100: 'Byggeområder',
  101: 'Bybebyggelse',
  102: 'Tettbebyggelse',
  110: 'Boligområde',
  120: 'Senterområde',
  130: 'Erverv',
  131: 'Forretning',
  132: 'Kontor',
  133: 'Industri',
  134: 'Lager',
  140: 'Fritidsbebyggelse',
  150: 'Offentlige bygninger',
  190: 'Annet byggeområde',
  200: 'LNF-område',
  210: 'LNF-område uten spredt bebyggelse',
  220: 'LNF-område med spredt bebyggelse',
  221: 'Spredt boligbebyggelse tillatt',
};

export const AREALBRUKSSTATUS: Record<number, string> = {
  1: 'Nåværende',
  2: 'Framtidig',
  3: 'Videreutvikling av nåværende',
};

export const PLANSTATUS: Record<number, string> = {
  0: 'Planinitiativ',
  1: 'Planlegging igangsatt',
  2: 'Planforslag',
  3: 'Endelig vedtatt arealplan',
  4: 'Opphevet',
  5: 'Utgått/erstattet',
  6: 'Vedtatt plan med utsatt rettsvirkning',
  7: 'Vedtatt plan underlagt tidsbegrensning',
  8: 'Overstyrt',
  9: 'Avvist',
  10: 'Trukket/uaktuelt',
};

export const VERTIKALNIVA: Record<number, string> = {
  1: 'Under grunnen (tunnel)',
  2: 'På grunnen/vannoverflate',
  3: 'Over grunnen (bru)',
  4: 'På bunnen (vann/sjø)',
  5: 'I vannsøylen',
};

/** Utnyttingstype (SOSI plan-felles). New plans use only 10, 11, 15–18. */
export const UTNYTTINGSTYPE: Record<number, string> = {
  1: 'BYA-87',
  2: 'BRA-87',
  3: 'TU',
  4: 'U',
  5: 'F',
  6: 'BGA',
  7: 'BFA',
  10: 'Ikke tillatt å bebygge',
  11: 'Ikke tillatt med ytterligere bebyggelse',
  12: '%-BYA-97',
  13: 'T-BRA',
  14: '%-TU',
  15: 'BYA',
  16: '%-BYA',
  17: 'BRA',
  18: '%-BRA',
};

/** Hensynssone codes (the number in `hensynSonenavn` "H<code>_<n>"). */
export const HENSYN: Record<number, string> = {
  110: 'Nedslagsfelt drikkevann',
  120: 'Grunnvannsforsyning',
  130: 'Byggeforbud rundt veg, bane og flyplass',
  140: 'Frisikt',
  190: 'Andre sikringssoner',
  210: 'Rød støysone',
  220: 'Gul støysone',
  230: 'Grønn støysone',
  290: 'Andre støysoner',
  310: 'Ras- og skredfare',
  320: 'Flomfare',
  330: 'Radonfare',
  350: 'Brann-/eksplosjonsfare',
  360: 'Skytebane',
  370: 'Høyspenningsanlegg',
  380: 'Militær virksomhet',
  390: 'Annen fare',
  410: 'Infrastruktur – vann og avløp',
  430: 'Infrastruktur – samferdsel',
  440: 'Infrastruktur – grønnstruktur',
  450: 'Infrastruktur – annen',
  510: 'Landbruk',
  520: 'Reindrift',
  530: 'Friluftsliv',
  540: 'Grønnstruktur',
  550: 'Landskap',
  560: 'Bevaring naturmiljø',
  570: 'Bevaring kulturmiljø',
  580: 'Randsone til nasjonalpark',
  590: 'Mineralressurser',
  710: 'Båndlegging for regulering etter pbl',
  720: 'Båndlegging etter naturvernloven',
  730: 'Båndlegging etter kulturminneloven',
  735: 'Båndlegging etter markaloven',
  740: 'Båndlegging etter andre lover',
  750: 'Båndlegging etter vegloven',
  810: 'Krav om felles planlegging',
  820: 'Omforming',
  830: 'Fornyelse',
  910: 'Reguleringsplan skal fortsatt gjelde',
};

export function zoneUseName(arealformal: number | null, arealbruk: number | null): string {
  if (arealformal !== null) return `${arealformal} ${KP_AREALFORMAL[arealformal] ?? 'Ukjent arealformål'}`;
  if (arealbruk !== null) return `${arealbruk} ${KP_AREALBRUK[arealbruk] ?? 'Ukjent arealbruk'} (eldre plan)`;
  return 'Ukjent formål';
}
