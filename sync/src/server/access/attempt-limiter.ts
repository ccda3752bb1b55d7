/**
 * Failed logins per client address in a fixed window: after `max` failures the address waits
 * for the window to end, and its password guesses are not even checked (scrypt is dear).
 */
export interface AttemptLimiter {
  /** Seconds the address must wait before it may try again; 0 when it may try now. */
  waitSeconds(address: string): number;
  failed(address: string): void;
  succeeded(address: string): void;
}

export interface AttemptLimits {
  max?: number;
  windowMs?: number;
  now?: () => number;
}

/** Past this many addresses, finished windows are swept out before a new one is opened. */
const SWEEP_AT = 10_000;

export function attemptLimiter(limits: AttemptLimits = {}): AttemptLimiter {
  const { max = 10, windowMs = 60_000, now = Date.now } = limits;
  const windows = new Map<string, { start: number; failures: number }>();
  const open = (address: string) => {
    const window = windows.get(address);
    if (window && now() - window.start < windowMs) return window;
    windows.delete(address);
    return undefined;
  };
  const sweep = () => {
    for (const [address, window] of windows) if (now() - window.start >= windowMs) windows.delete(address);
  };
  return {
    waitSeconds: (address) => {
      const window = open(address);
      return window && window.failures >= max ? Math.ceil((window.start + windowMs - now()) / 1000) : 0;
    },
    failed: (address) => {
      const window = open(address);
      if (window) window.failures += 1;
      else {
        if (windows.size >= SWEEP_AT) sweep();
        windows.set(address, { start: now(), failures: 1 });
      }
    },
    succeeded: (address) => void windows.delete(address),
  };
}
