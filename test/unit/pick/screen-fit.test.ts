import { describe, expect, it } from 'vitest';
import { pickerLayout } from '../../../src/pick/pick-preset.js';
import { fitBlock, fitLine } from '../../../src/prompt/screen-fit.js';

describe('fitting the picker on the screen', () => {
  it('cuts a line to the width with an ellipsis', () => {
    expect(fitLine('abcdef', 6)).toBe('abcdef');
    expect(fitLine('abcdefg', 6)).toBe('abcde…');
  });

  it('keeps a block that fits as it is, lines cut to the width', () => {
    expect(fitBlock('one\ntwo three four', 8, 5, 'see x')).toEqual(['one', 'two thr…']);
  });

  it('keeps the first lines and the last one when there are too many, saying how many were left out', () => {
    const text = ['head', 'a', 'b', 'c', 'd', 'e', 'Policy ask: the run asks you'].join('\n');
    expect(fitBlock(text, 40, 5, 'see safedock explain')).toEqual([
      'head',
      'a',
      'b',
      '  … 3 more lines; see safedock explain',
      'Policy ask: the run asks you',
    ]);
    expect(fitBlock(text, 40, 5, 'x')).toHaveLength(5);
  });

  it('shares 80x24 between the list and the preview, a row left for the cursor', () => {
    expect(pickerLayout(4, { columns: 80, rows: 24 })).toEqual({ pageSize: 4, previewRows: 16 });
    // question 1 + list + blank 1 + preview + keys 1 = rows - 1
    for (const [presets, rows] of [
      [4, 24],
      [12, 24],
      [30, 50],
      [6, 16],
    ] as const) {
      const { pageSize, previewRows } = pickerLayout(presets, { columns: 80, rows });
      expect(1 + pageSize + 1 + previewRows + 1).toBe(rows - 1);
      expect(pageSize).toBeLessThanOrEqual(Math.min(presets, 10));
    }
  });
});
