import { describe, expect, it } from 'vitest';
import { InterpolationError, interpolate } from '../../../src/export/compose-interpolate.js';

const vars = { SET: 'v', EMPTY: '', HOST: '/var/run/docker.sock' };

describe("Compose's interpolation", () => {
  it.each([
    ['$SET', 'v'],
    ['${SET}', 'v'],
    ['${UNSET}', ''],
    ['${UNSET:-d}', 'd'],
    ['${EMPTY:-d}', 'd'],
    ['${EMPTY-d}', ''],
    ['${UNSET-d}', 'd'],
    ['${SET:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${EMPTY+alt}', 'alt'],
    ['$$SET', '$SET'],
    ['${UNSET:-${HOST}}:/s', '/var/run/docker.sock:/s'],
    ['a-$SET-b', 'a-v-b'],
  ])('%s → %s', (text, out) => {
    expect(interpolate(text, vars)).toBe(out);
  });

  it('a required variable that is missing is an error with its message', () => {
    expect(() => interpolate('${UNSET:?give it}', vars)).toThrow(InterpolationError);
    expect(() => interpolate('${EMPTY:?x}', vars)).toThrow('EMPTY: x');
    expect(interpolate('${EMPTY?x}', vars)).toBe('');
  });
});
