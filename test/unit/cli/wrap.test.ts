import { describe, expect, it } from 'vitest';
import { hangingWrap, helpColumns, wrapHelpLine, wrapWords } from '../../../src/text/wrap.js';
import { renderExplainHelp, renderRunHelp } from '../../../src/docker-cli/run-help.js';
import { OWN_FLAGS, RUN_FLAGS } from '../../../src/docker-cli/run-flags.js';

const longest = (text: string): number => Math.max(...text.split('\n').map((l) => l.length));

describe('the width help is laid out in', () => {
  it('COLUMNS when set, else the terminal, else 80', () => {
    expect(helpColumns({ isTTY: false }, {})).toBe(80);
    expect(helpColumns({ isTTY: true, columns: 132 }, {})).toBe(132);
    expect(helpColumns({ isTTY: true, columns: 132 }, { COLUMNS: '100' })).toBe(100);
    expect(helpColumns({ isTTY: false }, { COLUMNS: '60' })).toBe(60);
    expect(helpColumns({ isTTY: false }, { COLUMNS: 'wide' })).toBe(80);
    expect(helpColumns({ isTTY: false }, { COLUMNS: '10' })).toBe(40);
  });
});

describe('wrapping', () => {
  it('breaks between words, never inside one', () => {
    expect(wrapWords('aa bb cc dd', 5)).toEqual(['aa bb', 'cc dd']);
    expect(wrapWords('a /very/long/path/that/does/not/fit b', 10)).toEqual([
      'a',
      '/very/long/path/that/does/not/fit',
      'b',
    ]);
    expect(hangingWrap('  --x  ', 'one two three four', 20)).toEqual(['  --x  one two three', '       four']);
  });

  it('continues a shell example with a backslash', () => {
    const lines = wrapHelpLine(`  $ safedock init --preset strict --yes --port 8080:80 --writable /var/cache/app`, 40);
    expect(lines.every((l) => l.length <= 40)).toBe(true);
    expect(lines.slice(0, -1).every((l) => l.endsWith(' \\'))).toBe(true);
    expect(lines.slice(1).every((l) => l.startsWith('    '))).toBe(true);
    expect(lines.map((l) => l.replace(/ \\$/, '').trim()).join(' ')).toBe(
      '$ safedock init --preset strict --yes --port 8080:80 --writable /var/cache/app',
    );
  });
});

describe('safedock run --help', () => {
  it.each([80, 100, 60])('fits %i columns and names every visible flag once', (columns) => {
    const help = renderRunHelp(columns);
    expect(longest(help)).toBeLessThanOrEqual(columns);
    for (const flag of [...OWN_FLAGS, ...RUN_FLAGS].filter((f) => f.hidden !== true))
      expect(help.match(new RegExp(`^ {2}(-\\w, | {4})--${flag.name}( |$)`, 'gm')), flag.name).toHaveLength(1);
  });

  it('keeps every word of a flag text when it wraps it', () => {
    const help = renderRunHelp(80).replace(/\s+/g, ' ');
    for (const flag of OWN_FLAGS) expect(help).toContain(flag.help.replace(/\s+/g, ' '));
  });

  it('puts the text under the flag on a narrow terminal', () => {
    const help = renderRunHelp(40);
    expect(longest(help)).toBeLessThanOrEqual(40);
    expect(help).toMatch(/\n {6}--preset name\n {8}Preset merged/);
  });

  it('explain --help fits too', () => {
    expect(longest(renderExplainHelp(80))).toBeLessThanOrEqual(80);
    expect(renderExplainHelp(80)).toMatch(/^Usage: {2}safedock explain \[OPTIONS\] IMAGE/);
  });
});
