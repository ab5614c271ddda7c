import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { goJsonSyntaxError } from '../../../src/grammar/go-json-error.js';
import { jsonCompact } from '../../../src/grammar/json-compact.js';
import { normalizeCapabilities } from '../../../src/grammar/capabilities.js';
import { dedupeEnv } from '../../../src/grammar/env.js';
import { readCsvRecord } from '../../../src/grammar/csv.js';
import { goQuote } from '../../../src/grammar/go-quote.js';

describe('goJsonSyntaxError (messages measured through docker --security-opt seccomp=FILE)', () => {
  it.each([
    ['{bad', "invalid character 'b' looking for beginning of object key string"],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a":1 "b"}', `invalid character '"' after object key:value pair`],
    ['[1 2]', "invalid character '2' after array element"],
    ['{}x', "invalid character 'x' after top-level value"],
    ['{"a":tru}', "invalid character '}' in literal true (expecting 'e')"],
    ['{"a":-x}', "invalid character 'x' in numeric literal"],
    ['{"a":1.}', "invalid character '}' after decimal point in numeric literal"],
    ['{"a":"\\q"}', "invalid character 'q' in string escape code"],
    ['{"a":"\u0001"}', "invalid character '\\x01' in string literal"],
    ['', 'unexpected end of JSON input'],
    ['{"a":01}', "invalid character '1' after object key:value pair"],
    ["{'a':1}", "invalid character '\\'' looking for beginning of object key string"],
    ['{"a":1e}', "invalid character '}' in exponent of numeric literal"],
    ['{"a":"\\u12g4"}', "invalid character 'g' in \\u hexadecimal character escape"],
    ['{"a":', 'unexpected end of JSON input'],
  ])('%j', (text, message) => {
    expect(goJsonSyntaxError(text)).toBe(message);
  });
  it.each(['{}', '[]', '{"a":[1,-2.5e+3,true,false,null,"x\\n\\u00e9"]}', ' 1 '])('valid: %j', (text) => {
    expect(goJsonSyntaxError(text)).toBeUndefined();
  });
});

describe('jsonCompact (json.Compact)', () => {
  it('drops whitespace, keeps escapes, number spelling, key order and duplicates', () => {
    expect(jsonCompact('{ "b" : 1.0 ,\n\t"a": "x y\\u00e9\\"", "a": [ 1e3 ] }')).toBe(
      '{"b":1.0,"a":"x y\\u00e9\\"","a":[1e3]}',
    );
  });
  it.each([
    ['[ "a\\\\" , "b" ]', '["a\\\\","b"]'],
    ['{ "k y" : "[ { \\" } ]" }', '{"k y":"[ { \\" } ]"}'],
    ['\r\n\t 0 ', '0'],
    ['"\\u0022 x"', '"\\u0022 x"'],
  ])('keeps strings whole: %j', (text, out) => {
    expect(jsonCompact(text)).toBe(out);
  });
  it("compacts the strict preset's profile to its minimal spelling", () => {
    const text = readFileSync(join(import.meta.dirname, '..', '..', '..', 'seccomp', 'strict.json'), 'utf8');
    expect(jsonCompact(text)).toBe(JSON.stringify(JSON.parse(text)));
  });
  it.each(['{bad', '[1 2]', '', '{"a":01}'])("refuses %j with Go's message", (text) => {
    expect(() => jsonCompact(text)).toThrow(goJsonSyntaxError(text));
  });
});

describe('normalizeCapabilities (moby client)', () => {
  it.each([
    [[], []],
    [
      ['net_admin', 'CAP_SYS_TIME'],
      ['CAP_NET_ADMIN', 'CAP_SYS_TIME'],
    ],
    [
      ['chown', 'ALL'],
      ['ALL', 'CAP_CHOWN'],
    ],
    [['all'], ['ALL']],
    [['a', 'A', 'cap_a'], ['CAP_A']],
    [[' all'], ['CAP_ ALL']],
  ])('%j → %j', (input, out) => {
    expect(normalizeCapabilities(input)).toEqual(out);
  });
});

describe('dedupeEnv (-e last value wins; first position kept)', () => {
  it.each([
    [
      ['A=1', 'B=2', 'A=3', 'C'],
      ['A=3', 'B=2', 'C'],
    ],
    [['A', 'A=1'], ['A=1']],
    [['A=1', 'A'], ['A']],
  ])('%j', (input, out) => expect(dedupeEnv(input)).toEqual(out));
});

describe('readCsvRecord (encoding/csv)', () => {
  it.each([
    ['a,b,c', ['a', 'b', 'c']],
    ['type=bind,"source=a,b",target=/x', ['type=bind', 'source=a,b', 'target=/x']],
    ['"a""b",c', ['a"b', 'c']],
    ['a,,b', ['a', '', 'b']],
    ['a,', ['a', '']],
  ])('%j', (text, out) => expect(readCsvRecord(text)).toEqual(out));
  it('bare quote', () =>
    expect(() => readCsvRecord('a"b')).toThrow('parse error on line 1, column 2: bare " in non-quoted-field'));
});

describe('goQuote (strconv.Quote)', () => {
  it.each([
    ['abc', '"abc"'],
    ['a"b', '"a\\"b"'],
    ['a\\b', '"a\\\\b"'],
    ['\u0001', '"\\x01"'],
    ['\t\n', '"\\t\\n"'],
    ['é', '"é"'],
  ])('%j', (text, out) => expect(goQuote(text)).toBe(out));
});
