/** A stream progress can be drawn on. */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/**
 * One line of progress on a terminal, redrawn in place, shown only once the work has taken more
 * than `delayMs` (a quick run prints nothing), and cleared when done. Nothing off a terminal.
 */
export class ProgressLine {
  private readonly started = Date.now();
  private shown = false;
  private last = '';

  constructor(
    private readonly stream: ProgressStream,
    private readonly delayMs = 300,
  ) {}

  update(text: string): void {
    if (this.stream.isTTY !== true || text === this.last) return;
    if (!this.shown && Date.now() - this.started < this.delayMs) return;
    this.shown = true;
    this.last = text;
    this.stream.write(`\r\u001b[2K${text}`);
  }

  done(): void {
    if (this.shown) this.stream.write('\r\u001b[2K');
    this.shown = false;
  }
}
