import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEST_IMAGE, TEST_LABEL_ARGS, listContainers, removeContainer } from '../helpers/engine.js';
import { KEY, runCliInPty, type PtySession } from '../helpers/pty.js';

/**
 * The picker on an 80x24 terminal, the smallest one people use: whatever preset is highlighted,
 * the question, the whole list, the preview and the line naming the keys fit on the screen, so
 * nothing scrolls away. The flags below give every preset a long preview (findings with fixes,
 * accepted risks).
 */
const COLUMNS = 80;
const ROWS = 24;
const HINT = '↑↓ move • a letter jumps to a name • ⏎ choose • Esc or Ctrl-C cancels';

let folder: string;
let config: string;
let caseLabel: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'safedock-pick-screen-'));
  config = mkdtempSync(join(tmpdir(), 'safedock-pick-screen-xdg-'));
  caseLabel = `safedock.case=${randomUUID()}`;
});

afterEach(async () => {
  for (const c of await listContainers(caseLabel)) await removeContainer(c.Id);
  rmSync(folder, { recursive: true, force: true });
  rmSync(config, { recursive: true, force: true });
});

const pick = (extra: readonly string[] = []): PtySession =>
  runCliInPty(
    [
      'run',
      '--pick',
      '--rm',
      ...TEST_LABEL_ARGS,
      '--label',
      caseLabel,
      ...extra,
      TEST_IMAGE,
      'sh',
      '-c',
      'echo uid=$(id -u)',
    ],
    {
      cwd: folder,
      columns: COLUMNS,
      rows: ROWS,
      env: { CI: undefined, SAFEDOCK_PRESET: undefined, SAFEDOCK_POLICY: undefined, XDG_CONFIG_HOME: config },
    },
  );

const RISKY = ['-p', '8080:80', '-v', '/etc:/hostetc', '--cap-add', 'NET_ADMIN', '-e', 'PASSWORD=x'];

/** The last whole picture of the list the terminal showed: from its question to the keys line. */
function lastFrame(text: string): string[] {
  const start = text.lastIndexOf('? Preset for this run of');
  const end = text.indexOf(HINT, start);
  expect(start, text).toBeGreaterThanOrEqual(0);
  expect(end, text).toBeGreaterThan(start);
  return text.slice(start, end + HINT.length).split('\n');
}

function expectOnScreen(frame: string[], highlighted: string): void {
  // One row stays for the cursor: a frame of ROWS - 1 lines or fewer never scrolls.
  expect(frame.length, frame.join('\n')).toBeLessThanOrEqual(ROWS - 1);
  for (const line of frame) expect(line.length, line).toBeLessThan(COLUMNS);
  expect(frame[0]).toMatch(/^\? Preset for this run of /);
  for (const name of ['sandbox', 'strict', 'compat', 'none'])
    expect(
      frame.some((l) => new RegExp(`^[❯ ] ${name}\\b`).test(l)),
      name,
    ).toBe(true);
  expect(frame).toContainEqual(expect.stringMatching(new RegExp(`^❯ ${highlighted}\\b`)));
  expect(frame).toContainEqual(expect.stringMatching(new RegExp(`^What ${highlighted} \\(built-in`)));
  expect(frame).toContainEqual(expect.stringMatching(/^Policy (ask|warn|enforce): /));
  expect(frame.at(-1)).toBe(HINT);
}

describe('the picker at 80x24', () => {
  it('keeps the question, the list, the preview and the keys on the screen for every preset', async () => {
    const pty = pick(RISKY);
    await pty.waitFor(HINT);
    expectOnScreen(lastFrame(pty.text()), 'strict');
    // A long preview is cut, saying how much was left out and where to see it.
    expect(pty.text()).toMatch(/… \d+ more lines?; see safedock explain --preset strict with these arguments/);
    for (const [key, name] of [
      [KEY.down, 'compat'],
      [KEY.down, 'none'],
      [KEY.up, 'compat'],
      [KEY.up, 'strict'],
      [KEY.up, 'sandbox'],
    ] as const) {
      pty.write(key);
      await pty.waitFor(`What ${name} (built-in`);
      await pty.waitFor(HINT);
      expectOnScreen(lastFrame(pty.text()), name);
    }
    pty.write(KEY.ctrlC);
    expect((await pty.done).code).toBe(130);
  });

  it('a letter jumps to the preset of that name', async () => {
    const pty = pick();
    await pty.waitFor(HINT);
    pty.write('c');
    await pty.waitFor('What compat (built-in');
    // Letters typed within 0.7 s of each other spell one name: the next one starts a new name.
    await new Promise((resolve) => setTimeout(resolve, 900));
    pty.write('n');
    await pty.waitFor('What none (built-in');
    pty.write(KEY.ctrlC);
    expect((await pty.done).code).toBe(130);
  });

  it('Esc cancels: exit 130, no container, no file', async () => {
    const pty = pick();
    await pty.waitFor(HINT);
    pty.write(KEY.escape);
    const result = await pty.done;
    expect(result.code, result.text).toBe(130);
    expect(result.text).toContain('safedock: cancelled; nothing was created.');
    expect(await listContainers(caseLabel)).toEqual([]);
    expect(readdirSync(folder)).toEqual([]);
  });

  it('Esc at the save question cancels too', async () => {
    const pty = pick();
    await pty.waitFor(HINT);
    pty.write(KEY.up);
    await pty.waitFor('What sandbox (built-in');
    pty.write(KEY.enter);
    await pty.waitFor('Save sandbox as the default preset');
    pty.write(KEY.escape);
    const result = await pty.done;
    expect(result.code, result.text).toBe(130);
    expect(existsSync(join(folder, '.safedock.yaml'))).toBe(false);
    expect(await listContainers(caseLabel)).toEqual([]);
  });

  it('offers no save when the choice already is the default (built-in, or the project config)', async () => {
    const builtIn = pick();
    await builtIn.waitFor(HINT);
    builtIn.write(KEY.enter);
    const first = await builtIn.done;
    expect(first.code, first.text).toBe(0);
    expect(first.text).toMatch(/uid=65534\n/);
    expect(first.text).not.toContain('Save strict');
    expect(readdirSync(folder)).toEqual([]);

    writeFileSync(join(folder, '.safedock.yaml'), 'preset: sandbox\n');
    const project = pick();
    await project.waitFor('(* sandbox: set by');
    await project.waitFor(HINT);
    project.write(KEY.enter);
    const second = await project.done;
    expect(second.code, second.text).toBe(0);
    expect(second.text).not.toContain('Save sandbox');
  });
});
