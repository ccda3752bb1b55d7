/**
 * Progress for long work, per kommune and per stage. On a terminal one line is redrawn in
 * place; elsewhere (CI, services, pipes) each finished stage is written as one line.
 */
export interface StageProgress {
  tick(count?: number): void;
  done(summary?: string): void;
}

export interface Progress {
  stage(label: string, total?: number): StageProgress;
}

export const silentProgress: Progress = {
  stage: () => ({ tick: () => undefined, done: () => undefined }),
};

export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  const live = Boolean(stream.isTTY);
  return {
    stage(label, total) {
      const started = performance.now();
      let count = 0;
      let lastDraw = 0;
      const draw = (force = false) => {
        const now = performance.now();
        if (!live || (!force && now - lastDraw < 100)) return;
        lastDraw = now;
        const share = total
          ? ` ${Math.min(100, Math.round((count / total) * 100))}% (${count}/${total})`
          : ` ${count}`;
        stream.write(`\r\x1b[2K${label}${share}`);
      };
      draw(true);
      return {
        tick(n = 1) {
          count += n;
          draw();
        },
        done(summary) {
          const seconds = ((performance.now() - started) / 1000).toFixed(1);
          const line = `${label}: ${summary ?? `${count} done`} (${seconds} s)`;
          stream.write(live ? `\r\x1b[2K${line}\n` : `${line}\n`);
        },
      };
    },
  };
}
