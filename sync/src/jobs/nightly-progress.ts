import type { KommuneResult, PipelineStage } from '../store/run-kommuner.js';
import { etaSeconds } from './nightly-eta.js';

/** Where a running nightly run is: `/health`'s `run` and the log's "3/50, ETA …". */
export interface RunProgress {
  runId: number;
  /** The interrupted run this one continues (its finished kommuner count as done). */
  resumes: number | null;
  done: number;
  total: number;
  failed: number;
  /** The kommuner in flight and the stage each is at (one reads while another computes and a third syncs). */
  current: Array<{ kommunenummer: string; stage: PipelineStage }>;
  startedAt: string;
  elapsedSeconds: number;
  etaSeconds: number | null;
  /** When the run should end, at the current pace. */
  etaAt: string | null;
}

export interface ProgressStart {
  runId: number;
  resumes: number | null;
  kommuner: string[];
  /** Kommuner the resumed run already finished. */
  alreadyDone: number;
  /** Parcels per kommune from earlier runs, until this run reads the kommune. */
  knownParcels: Map<string, number>;
  /** Milliseconds since the epoch; injectable for tests. */
  clock?: () => number;
}

/** Follows one run's kommuner through their stages and estimates the time left. */
export class RunProgressTracker {
  private readonly clock: () => number;
  private readonly started: number;
  private readonly parcels = new Map<string, number>();
  private readonly inFlight = new Map<string, PipelineStage>();
  private readonly finished = new Set<string>();
  private failed = 0;

  constructor(private readonly start: ProgressStart) {
    this.clock = start.clock ?? Date.now;
    this.started = this.clock();
    for (const k of start.kommuner) {
      const known = start.knownParcels.get(k);
      if (known !== undefined) this.parcels.set(k, known);
    }
  }

  stage(kommunenummer: string, stage: PipelineStage): void {
    this.inFlight.set(kommunenummer, stage);
  }

  /** The kommune's parcels once its data is read. */
  sized(kommunenummer: string, parcels: number): void {
    this.parcels.set(kommunenummer, parcels);
  }

  finish(result: KommuneResult): void {
    this.inFlight.delete(result.kommunenummer);
    if (result.outcome === 'skipped') return;
    this.finished.add(result.kommunenummer);
    if (result.outcome === 'failed') this.failed += 1;
  }

  snapshot(): RunProgress {
    const now = this.clock();
    const open = this.start.kommuner.filter((k) => !this.finished.has(k));
    const eta = etaSeconds({
      elapsedMs: now - this.started,
      finished: [...this.finished].map((k) => this.parcels.get(k) ?? 0),
      remaining: open.map((k) => this.parcels.get(k) ?? null),
    });
    return {
      runId: this.start.runId,
      resumes: this.start.resumes,
      done: this.start.alreadyDone + this.finished.size,
      total: this.start.alreadyDone + this.start.kommuner.length,
      failed: this.failed,
      current: [...this.inFlight].map(([kommunenummer, stage]) => ({ kommunenummer, stage })),
      startedAt: new Date(this.started).toISOString(),
      elapsedSeconds: Math.round((now - this.started) / 1000),
      etaSeconds: eta,
      etaAt: eta === null ? null : new Date(now + eta * 1000).toISOString(),
    };
  }
}

/** "12/50, ETA 1 h 04 min" for the log. */
export function progressText(progress: RunProgress): string {
  return `${progress.done}/${progress.total}, ETA ${durationText(progress.etaSeconds)}`;
}

export function durationText(seconds: number | null): string {
  if (seconds === null) return 'unknown';
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}
