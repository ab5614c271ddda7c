import type { PullEvent } from './engine.js';

export interface PullProgress {
  update(event: PullEvent): void;
  done(): void;
}

/**
 * Shows a pull as docker does: on a terminal one line per layer, rewritten in place;
 * elsewhere only the status lines that are not per-layer progress.
 */
export function renderPullProgress(out: NodeJS.WritableStream, isTTY: boolean): PullProgress {
  const lines: string[] = [];
  const index = new Map<string, number>();
  let drawn = 0;
  const redraw = (): void => {
    if (drawn > 0) out.write(`\x1b[${drawn}A`);
    for (const line of lines) out.write(`\x1b[2K${line}\n`);
    drawn = lines.length;
  };
  return {
    update(event) {
      const text = [event.id ? `${event.id}:` : '', event.status ?? '', event.progress ?? ''].filter(Boolean).join(' ');
      if (!text) return;
      if (!isTTY) {
        if (
          !event.progress &&
          event.status &&
          !/^(Downloading|Extracting|Waiting|Verifying Checksum)/.test(event.status)
        )
          out.write(`${text}\n`);
        return;
      }
      const key = event.id ?? `#${lines.length}`;
      const at = index.get(key);
      if (at === undefined) {
        index.set(key, lines.length);
        lines.push(text);
      } else {
        lines[at] = text;
      }
      redraw();
    },
    done() {},
  };
}
