import { describe, expect, it } from 'vitest';
import { ProgressLine } from '../../../src/cli/progress.js';

const stream = (isTTY: boolean) => {
  const written: string[] = [];
  return { isTTY, written, write: (t: string) => written.push(t) };
};

describe('ProgressLine', () => {
  it('draws nothing off a terminal', () => {
    const s = stream(false);
    const p = new ProgressLine(s, 0);
    p.update('inspecting 1/2');
    p.done();
    expect(s.written).toEqual([]);
  });

  it('on a terminal, once the work takes longer than the delay: redrawn in place, cleared at the end', () => {
    const s = stream(true);
    const p = new ProgressLine(s, 0);
    p.update('inspecting 1/2');
    p.update('inspecting 1/2');
    p.update('inspecting 2/2');
    p.done();
    expect(s.written).toEqual(['\r\u001b[2Kinspecting 1/2', '\r\u001b[2Kinspecting 2/2', '\r\u001b[2K']);
  });

  it('a quick run prints nothing', () => {
    const s = stream(true);
    const p = new ProgressLine(s, 60_000);
    p.update('inspecting 1/2');
    p.done();
    expect(s.written).toEqual([]);
  });
});
