import { PLANSTATUS } from '../../domain/codes.js';
import type { FactorScore } from '../../domain/lot.js';
import type { LotRecord } from '../../lot-record/lot-record.js';
import { formatDaa, formatInteger, formatPoints } from '../../util/norwegian-format.js';
import type { PlanFact } from './plan-facts.js';

/** Norwegian wording of alerts: the team reads it in Airtable, on the map and in webhooks. No owner names. */

/** "45/1 (1,2 daa)". */
export function lotLabel(record: LotRecord): string {
  return `${record.matrikkelnummertekst} (${formatDaa(record.arealM2)})`;
}

/** "82 poeng, klasse A". */
export function scoreText(record: LotRecord): string {
  return `${formatPoints(record.score.total)} poeng, klasse ${record.score.tier}`;
}

/** SOSI forslagsstillerType; other codes are shown as they are. */
const PROPOSER: Record<number, string> = { 1: 'offentlig', 2: 'privat' };

export function proposerText(code: number | null): string | null {
  if (code === null) return null;
  return PROPOSER[code] ?? `kode ${code}`;
}

/** «Name» (id), or "plan <id>" when the data has no name. */
export function planName(plan: Pick<PlanFact, 'planId' | 'name'>): string {
  return plan.name ? `«${plan.name}» (${plan.planId})` : `plan ${plan.planId}`;
}

/** "Planforslag «Name» (id)": the plan with its planstatus, for a plan in progress. */
export function planInProgressText(plan: Pick<PlanFact, 'planId' | 'name' | 'planstatus'>): string {
  const status = plan.planstatus !== null ? PLANSTATUS[plan.planstatus] : undefined;
  return status ? `${status} ${planName(plan)}` : `Reguleringsplan ${planName(plan)} under arbeid`;
}

/** The factors whose points moved by 0.5 or more, largest move first: "Kapasitet −8,0; Størrelse +1,5". */
export function movedFactors(before: FactorScore[], after: FactorScore[]): FactorMove[] {
  const was = new Map(before.map((f) => [f.key, f.points]));
  return after
    .map((f) => ({ key: f.key, label: f.label, from: was.get(f.key) ?? 0, to: f.points }))
    .map((f) => ({ ...f, change: Math.round((f.to - f.from) * 10) / 10 }))
    .filter((f) => Math.abs(f.change) >= 0.5)
    .sort((a, b) => Math.abs(b.change) - Math.abs(a.change) || a.key.localeCompare(b.key));
}

export interface FactorMove {
  key: string;
  label: string;
  from: number;
  to: number;
  change: number;
}

/** The three largest moves, as a sentence's end. */
export function movesText(moves: FactorMove[]): string {
  if (!moves.length) return 'ingen enkeltfaktor flyttet seg mye';
  return moves
    .slice(0, 3)
    .map((m) => `${m.label} ${m.change > 0 ? '+' : '−'}${formatPoints(Math.abs(m.change))}`)
    .join('; ');
}

export function metresText(metres: number): string {
  return metres === 0 ? 'berører tomten' : `ligger ${formatInteger(Math.round(metres))} m fra tomten`;
}
