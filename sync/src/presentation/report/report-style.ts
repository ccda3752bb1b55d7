/** The report's styles: A4 on paper, readable on a screen; the first page stands alone. */
export const REPORT_CSS = `
@page { size: A4; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10.5pt; color: #222; margin: 0 auto; max-width: 190mm; padding: 8mm; line-height: 1.35; }
h1 { font-size: 20pt; margin: 0 0 2pt; }
h2 { font-size: 13pt; margin: 14pt 0 6pt; border-bottom: 1px solid #ccc; padding-bottom: 2pt; }
h3 { font-size: 11pt; margin: 10pt 0 4pt; }
.muted { color: #666; font-size: 9pt; }
.warning { color: #8a4b00; }
.summary li { margin: 2pt 0; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0; }
table.numbers { width: auto; min-width: 60%; }
caption { text-align: left; font-weight: bold; margin-bottom: 4pt; }
th, td { padding: 2pt 5pt; border-bottom: 1px solid #e3e3e3; text-align: left; }
table.numbers td { text-align: right; }
table.numbers th { white-space: nowrap; }
tr.sum th, tr.sum td { font-weight: bold; border-top: 1.5px solid #999; }
.dot { display: inline-block; width: 8pt; height: 8pt; border-radius: 50%; margin-right: 4pt; }
svg { max-width: 100%; height: auto; }
svg.chart { width: 100%; max-width: 150mm; }
svg.chart text, svg.lot-map text { font-family: inherit; fill: #333; }
.cards { display: grid; grid-template-columns: 1fr 1fr; gap: 6mm; }
figure.lot { margin: 0; display: flex; gap: 4mm; break-inside: avoid; }
figure.lot svg { flex: 0 0 auto; width: 40mm; }
figcaption { font-size: 9pt; }
ul.alerts li { margin-bottom: 4pt; break-inside: avoid; }
.first-page { break-after: page; }
@media print { body { padding: 0; max-width: none; } a { color: inherit; } }
`;
