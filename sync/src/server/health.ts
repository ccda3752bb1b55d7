/** What `/health` answers, built by the process that knows the store and the jobs. */
export interface HealthReport {
  /** 200 while the store answers, 503 when it does not. */
  httpStatus: number;
  body: Record<string, unknown>;
}
