import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { PullEvent } from '../../../src/engine/engine.js';
import { renderPullProgress } from '../../../src/engine/pull-progress.js';

/** A pull as the engine reports it: two new layers, one already there. */
const EVENTS: PullEvent[] = [
  { status: 'Pulling from library/app', id: '1.0' },
  { status: 'Already exists', id: 'aaaaaaaaaaaa' },
  { status: 'Pulling fs layer', id: 'bbbbbbbbbbbb' },
  { status: 'Pulling fs layer', id: 'cccccccccccc' },
  { status: 'Waiting', id: 'cccccccccccc' },
  { status: 'Downloading', progress: '[=>          ]  1.2kB/24kB', id: 'bbbbbbbbbbbb' },
  { status: 'Downloading', progress: '[=====>      ]  12kB/24kB', id: 'bbbbbbbbbbbb' },
  { status: 'Verifying Checksum', id: 'bbbbbbbbbbbb' },
  { status: 'Download complete', id: 'bbbbbbbbbbbb' },
  { status: 'Downloading', progress: '[===========>]  3kB/3kB', id: 'cccccccccccc' },
  { status: 'Download complete', id: 'cccccccccccc' },
  { status: 'Extracting', progress: '[=====>      ]  12kB/24kB', id: 'bbbbbbbbbbbb' },
  { status: 'Pull complete', id: 'bbbbbbbbbbbb' },
  { status: 'Extracting', progress: '[===========>]  3kB/3kB', id: 'cccccccccccc' },
  { status: 'Pull complete', id: 'cccccccccccc' },
  { status: 'Digest: sha256:0123' },
  { status: 'Status: Downloaded newer image for app:1.0' },
];

function render(isTTY: boolean, events: PullEvent[] = EVENTS): string {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const progress = renderPullProgress(out, isTTY);
  for (const event of events) progress.update(event);
  progress.done();
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The screen a terminal shows after `text`: understands the escapes the renderer uses
 * (ESC[nA cursor up, ESC[2K clear line) and newlines. Fails on anything else, and when the
 * cursor would move above the first line the renderer drew.
 */
function screen(text: string): { lines: string[]; ups: number } {
  const lines: string[] = [];
  let row = 0;
  let ups = 0;
  // eslint-disable-next-line no-control-regex -- tokenises ANSI escape sequences on purpose
  const re = /\x1b\[(\d*)([A-Za-z])|\n|[^\x1b\n]+/g;
  for (const [token, count, command] of text.matchAll(re)) {
    if (token === '\n') {
      row++;
    } else if (command === 'A') {
      ups++;
      row -= Number(count || '1');
      if (row < 0) throw new Error('cursor moved above the first line');
    } else if (command === 'K') {
      if (count !== '2') throw new Error(`unexpected erase ${token}`);
      lines[row] = '';
    } else if (command !== undefined) {
      throw new Error(`unexpected escape ${JSON.stringify(token)}`);
    } else {
      lines[row] = (lines[row] ?? '') + token;
    }
  }
  return { lines: lines.slice(0, row), ups };
}

describe('renderPullProgress without a terminal', () => {
  it('prints the status lines and none of the per-layer progress', () => {
    expect(render(false)).toBe(
      [
        '1.0: Pulling from library/app',
        'aaaaaaaaaaaa: Already exists',
        'bbbbbbbbbbbb: Pulling fs layer',
        'cccccccccccc: Pulling fs layer',
        'bbbbbbbbbbbb: Download complete',
        'cccccccccccc: Download complete',
        'bbbbbbbbbbbb: Pull complete',
        'cccccccccccc: Pull complete',
        'Digest: sha256:0123',
        'Status: Downloaded newer image for app:1.0',
        '',
      ].join('\n'),
    );
  });

  it('writes no escapes and no progress bars', () => {
    const out = render(false);
    expect(out).not.toContain('\x1b');
    expect(out).not.toMatch(/Downloading|Extracting|Waiting|Verifying Checksum|\[=/);
  });

  it('ignores events with nothing to say', () => {
    expect(render(false, [{}, { id: '' }, { status: '' }])).toBe('');
  });
});

describe('renderPullProgress on a terminal', () => {
  it('ends with one line per layer id, each showing its last status, in first-seen order', () => {
    const { lines } = screen(render(true));
    expect(lines).toEqual([
      '1.0: Pulling from library/app',
      'aaaaaaaaaaaa: Already exists',
      'bbbbbbbbbbbb: Pull complete',
      'cccccccccccc: Pull complete',
      'Digest: sha256:0123',
      'Status: Downloaded newer image for app:1.0',
    ]);
  });

  it('rewrites lines in place with cursor-up escapes instead of appending', () => {
    const out = render(true);
    const { ups } = screen(out);
    // Every event after the first moves back up over what was drawn.
    expect(ups).toBe(EVENTS.length - 1);
    // eslint-disable-next-line no-control-regex -- matches the ANSI cursor-up escape on purpose
    expect(out).toMatch(/\x1b\[\d+A/);
    expect(out).toContain('\x1b[2K'); // erase line
    // Progress bars are shown on a terminal.
    expect(out).toContain('bbbbbbbbbbbb: Downloading [=====>      ]  12kB/24kB');
  });

  it('shows the progress of a layer on its own line while it runs', () => {
    const { lines } = screen(render(true, EVENTS.slice(0, 7)));
    expect(lines).toEqual([
      '1.0: Pulling from library/app',
      'aaaaaaaaaaaa: Already exists',
      'bbbbbbbbbbbb: Downloading [=====>      ]  12kB/24kB',
      'cccccccccccc: Waiting',
    ]);
  });

  it('moves up exactly as many lines as it drew before', () => {
    const out = render(true, EVENTS.slice(0, 3));
    expect(out).toBe(
      '\x1b[2K1.0: Pulling from library/app\n' +
        '\x1b[1A\x1b[2K1.0: Pulling from library/app\n\x1b[2Kaaaaaaaaaaaa: Already exists\n' +
        '\x1b[2A\x1b[2K1.0: Pulling from library/app\n\x1b[2Kaaaaaaaaaaaa: Already exists\n\x1b[2Kbbbbbbbbbbbb: Pulling fs layer\n',
    );
  });
});
