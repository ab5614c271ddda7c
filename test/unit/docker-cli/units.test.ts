import { describe, expect, it } from 'vitest';
import { goParseInt, goParseUint, parseNanoCpus, ramInBytes } from '../../../src/grammar/units.js';

describe('ramInBytes (go-units RAMInBytes)', () => {
  it.each([
    ['512m', 536870912],
    ['1.5g', 1610612736],
    ['50M', 52428800],
    ['64MiB', 67108864],
    ['1mb', 1048576],
    ['5KIB', 5120],
    ['1e3k', 1024000],
    ['100', 100],
    ['100b', 100],
    ['100B', 100],
    ['0', 0],
    ['1k', 1024],
    ['1t', 1024 ** 4],
    ['2p', 2 * 1024 ** 5],
    ['1.5', 1],
    ['5 m', 5242880],
    ['.5k', 512],
    ['65536k', 67108864],
  ])('%s → %d', (text, bytes) => {
    expect(ramInBytes(text)).toBe(bytes);
  });
  it.each([
    ['12x', "invalid suffix: 'x'"],
    ['12X', "invalid suffix: 'x'"],
    ['5kbb', "invalid suffix: 'kbb'"],
    ['5ki', "invalid suffix: 'ki'"],
    ['5bb', "invalid suffix: 'bb'"],
    ['5kibi', "invalid suffix: 'kibi'"],
    ['-1', "invalid size: '-1'"],
    ['', "invalid size: ''"],
    ['abc', "invalid size: 'abc'"],
    ['1.2.3m', 'strconv.ParseFloat: parsing "1.2.3": invalid syntax'],
    [' 5 m', 'strconv.ParseFloat: parsing " 5": invalid syntax'],
  ])('%j → %s', (text, message) => {
    expect(() => ramInBytes(text)).toThrow(message);
  });
});

describe('parseNanoCpus (big.Rat × 1e9)', () => {
  it.each([
    ['1.5', 1500000000],
    ['3/2', 1500000000],
    ['-1', -1000000000],
    ['1e-9', 1],
    ['0x10', 16000000000],
    ['.5', 500000000],
    ['5.', 5000000000],
    ['1.5e1', 15000000000],
    ['0', 0],
    ['2', 2000000000],
    ['0.000000001', 1],
  ])('%s → %d', (text, nano) => {
    expect(parseNanoCpus(text)).toBe(nano);
  });
  it.each([
    ['abc', 'failed to parse abc as a rational number'],
    ['', 'failed to parse  as a rational number'],
    ['2/0', 'failed to parse 2/0 as a rational number'],
    ['0.0000000001', 'value is too precise'],
    ['1/3', 'value is too precise'],
  ])('%j → %s', (text, message) => {
    expect(() => parseNanoCpus(text)).toThrow(message);
  });
});

describe('goParseInt (strconv.ParseInt base 0)', () => {
  it.each([
    ['100', 100],
    ['-1', -1],
    ['0x10', 16],
    ['010', 8],
    ['0o17', 15],
    ['0b101', 5],
    ['1_0', 10],
    ['+5', 5],
    ['0', 0],
  ])('%s → %d', (text, n) => {
    expect(goParseInt(text)).toBe(n);
  });
  it.each([
    ['x', 'strconv.ParseInt: parsing "x": invalid syntax'],
    ['', 'strconv.ParseInt: parsing "": invalid syntax'],
    ['1.5', 'strconv.ParseInt: parsing "1.5": invalid syntax'],
    ['_1', 'strconv.ParseInt: parsing "_1": invalid syntax'],
    ['9223372036854775808', 'strconv.ParseInt: parsing "9223372036854775808": value out of range'],
  ])('%j → %s', (text, message) => {
    expect(() => goParseInt(text)).toThrow(message);
  });
});

describe('goParseUint base 8 (tmpfs-mode)', () => {
  it('1770 octal is 1016', () => expect(goParseUint('1770', 8, 32)).toBe(1016));
  it('rejects 9', () =>
    expect(() => goParseUint('9', 8, 32)).toThrow('strconv.ParseUint: parsing "9": invalid syntax'));
});
