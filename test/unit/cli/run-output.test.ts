import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runNotes } from '../../../src/cli/run-output.js';

/** What a run's notes write on stderr, quiet or not. */
function said(quiet: boolean, notes: [string, 'note' | 'alert'][]): { text: string; all: readonly string[] } {
  const stderr = new PassThrough();
  let text = '';
  stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const run = runNotes(stderr, quiet);
  for (const [note, level] of notes) run.say(note, level);
  return { text, all: run.all };
}

describe("a run's notes", () => {
  it('quiet silences notes, never an alert (a preset replacing a built-in); the report keeps both', () => {
    const notes: [string, 'note' | 'alert'][] = [
      ['the image runs as root', 'note'],
      ['preset strict is the project preset x, not the built-in strict', 'alert'],
    ];
    expect(said(true, notes)).toEqual({
      text: 'safedock: preset strict is the project preset x, not the built-in strict\n',
      all: notes.map(([n]) => n),
    });
    expect(said(false, notes).text).toBe(
      'safedock: the image runs as root\nsafedock: preset strict is the project preset x, not the built-in strict\n',
    );
  });
});
