/**
 * The readers the rules of issue #12 rely on, each against the behaviour of the engine code it
 * mirrors: Go's encoding/json key matching, moby's seccomp loading, runc's user lookup, moby's
 * local volume driver, and the tar the archive endpoint sends.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstTarEntry } from '../../../src/engine/tar-entry.js';
import { goFoldKey, goStructFields, parseGoJson, type GoJson } from '../../../src/grammar/go-json.js';
import { goAtoi, needsAccounts, resolveUser } from '../../../src/policy/image-accounts.js';
import { readVolume } from '../../../src/policy/volume-options.js';
import { engineSeccomp } from '../../../src/seccomp/engine-read.js';

describe("Go's encoding/json key matching", () => {
  it.each([
    ['defaultAction', 'defaultaction'],
    ['DEFAULTACTION', 'defaultaction'],
    ['\u017fyscalls', 'syscalls'],
    ['SY\u017fCALLS', 'syscalls'],
    ['\u212aey', 'key'],
    ['İd', 'İd'],
  ])('%s folds to %s', (key, folded) => {
    expect(goFoldKey(key)).toBe(folded);
  });

  it('applies every occurrence in order; null keeps a scalar and resets a list', () => {
    const tree = parseGoJson('{"a":"1","A":"2","list":[1],"LIST":null,"s":"x","S":null}');
    if ('error' in tree || tree.kind !== 'object') throw new Error('not an object');
    const fields = goStructFields(tree, ['a', 'list', 's'] as const, ['list']);
    expect(fields.a).toEqual({ kind: 'string', value: '2' });
    expect(fields.list).toEqual({ kind: 'null' });
    expect(fields.s).toEqual({ kind: 'string', value: 'x' });
  });

  it('reports Go syntax errors', () => {
    expect(parseGoJson('{"a":}')).toEqual({ error: "invalid character '}' looking for beginning of value" });
  });

  it('reads every kind of token, escapes and whitespace included, in document order', () => {
    const text = ' {\n "a\\"b" : [ "x\\\\", -1.5e+3 ,true,false, null, {}, [] ],\t"a\\"b":"\\u00e9 \\n\\"}" } ';
    expect(parseGoJson(text)).toEqual({
      kind: 'object',
      members: [
        [
          'a"b',
          {
            kind: 'array',
            items: [
              { kind: 'string', value: 'x\\' },
              { kind: 'number', text: '-1.5e+3' },
              { kind: 'bool', value: true },
              { kind: 'bool', value: false },
              { kind: 'null' },
              { kind: 'object', members: [] },
              { kind: 'array', items: [] },
            ],
          },
        ],
        ['a"b', { kind: 'string', value: '\u00e9 \n"}' }],
      ],
    });
  });

  it('reads empty keys and empty strings as keys and values, and scalars at the top', () => {
    expect(parseGoJson('{"":"","k":{"":[""]}}')).toEqual({
      kind: 'object',
      members: [
        ['', { kind: 'string', value: '' }],
        ['k', { kind: 'object', members: [['', { kind: 'array', items: [{ kind: 'string', value: '' }] }]] }],
      ],
    });
    expect(parseGoJson(' -0.5e-2 ')).toEqual({ kind: 'number', text: '-0.5e-2' });
    expect(parseGoJson('"x"')).toEqual({ kind: 'string', value: 'x' });
  });

  it("reads the strict preset's profile as JSON.parse does (it has no duplicate keys)", () => {
    const text = readFileSync(join(import.meta.dirname, '..', '..', '..', 'seccomp', 'strict.json'), 'utf8');
    const plain = (node: GoJson): unknown => {
      switch (node.kind) {
        case 'object':
          return Object.fromEntries(node.members.map(([k, v]) => [k, plain(v)]));
        case 'array':
          return node.items.map(plain);
        case 'number':
          return Number(node.text);
        case 'null':
          return null;
        default:
          return node.value;
      }
    };
    const tree = parseGoJson(text);
    if ('error' in tree) throw new Error(tree.error);
    expect(plain(tree)).toEqual(JSON.parse(text));
  });
});

describe('seccomp as the engine loads it', () => {
  it.each([
    ['unconfined', 'off'],
    [' Unconfined ', 'off'],
    ['builtin', 'default'],
    ['null', 'off'],
    ['{}', 'off'],
    ['{"defaultAction":"SCMP_ACT_ERRNO"}', 'filter'],
    ['{"defaultAction":"SCMP_ACT_ERRNO","DefaultAction":"SCMP_ACT_ALLOW"}', 'open'],
    ['{"DefaultAction":"SCMP_ACT_ALLOW","defaultAction":"SCMP_ACT_KILL"}', 'filter'],
    ['{"defaultAction":"","\u017fyscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"}]}', 'open'],
    ['{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[],"SYSCALLS":null}', 'filter'],
    ['[]', 'unreadable'],
    ['{"defaultAction":true}', 'unreadable'],
    ['{', 'unreadable'],
  ])('%s → %s', (value, state) => {
    expect(engineSeccomp(value).state).toBe(state);
  });
});

describe("runc's user lookup", () => {
  const accounts = {
    passwd:
      'root:x:0:0::/root:/bin/sh\nweb:x:1000:1000::/:/bin/sh\nbig:x:99999999999999999999:0::/:/bin/sh\nwrap:x:4294967296:4294967297::/:/bin/sh\n',
    group: 'root:x:0:\nweb:x:1000:\n42:x:7:\n',
  };
  it.each([
    ['', { uid: 0, gid: 0 }],
    ['web', { uid: 1000, gid: 1000, memberOf: [] }],
    ['1000', { uid: 1000, gid: 1000, matched: 'web' }],
    ['2000', { uid: 2000, gid: 0 }],
    ['2000:3000', { uid: 2000, gid: 3000 }],
    ['web:root', { uid: 1000, gid: 0 }],
    ['web:42', { uid: 1000, gid: 42 }],
    ['web:web:extra', { uid: 1000, gid: 1000 }],
    // The engine passes ids to the runtime as uint32: 2^32 is uid 0.
    ['wrap', { uid: 0, gid: 1 }],
    ['4294967296', { uid: 0, matched: 'wrap' }],
  ])('-u %j → %o', (spec, expected) => {
    expect(resolveUser(spec, [], accounts)).toMatchObject(expected);
  });

  it.each([
    ['ghost', 'the image\'s /etc/passwd has no user "ghost"'],
    ['web:ghosts', 'the image\'s /etc/group has no group "ghosts"'],
    ['-1', 'uid -1 is out of range'],
    ['4294967297', 'uid 4294967297 is out of range'],
  ])('-u %j → error %s', (spec, error) => {
    expect(resolveUser(spec, [], accounts)).toEqual({ error });
  });

  it('an id beyond int64 is clamped as Go does, then truncated: not root', () => {
    expect(resolveUser('big', [], accounts)).toMatchObject({ uid: 2 ** 32 - 1 });
  });

  it('--group-add matches a name first, then the number as Itoa writes it, then reads a number', () => {
    expect(resolveUser('web', ['42'], accounts)).toMatchObject({ added: [7] });
    expect(resolveUser('web', ['0'], accounts)).toMatchObject({ added: [0] });
    expect(resolveUser('web', ['00'], accounts)).toMatchObject({ added: [0] });
    expect(resolveUser('web', ['5000'], accounts)).toMatchObject({ added: [5000] });
    expect(resolveUser('web', ['web', 'web'], accounts)).toEqual({
      error: 'the image\'s /etc/group has no group "web" (--group-add web)',
    });
  });

  it.each([
    ['', [], false],
    ['0', ['0'], false],
    ['1000:1000', [], false],
    ['1000', [], true],
    ['1000:1000', ['5'], true],
    ['app', [], true],
    ['1000:staff', [], true],
  ])('needsAccounts(%j, %j) is %s', (spec, add, expected) => {
    expect(needsAccounts(spec, add)).toBe(expected);
  });

  it.each([
    ['0', 0],
    ['+0', 0],
    ['-0', 0],
    ['007', 7],
    [' 1', undefined],
    ['1e3', undefined],
    ['', undefined],
  ])('goAtoi(%j) is %s', (text, n) => {
    expect(goAtoi(text)).toBe(n);
  });
});

describe("the local volume driver's options", () => {
  it.each([
    [{}, 'plain'],
    [{ type: 'tmpfs', device: 'tmpfs', o: 'size=1m' }, 'tmpfs'],
    [{ type: 'ext4', device: '/dev/vda' }, 'device'],
    [{ type: 'proc', device: 'proc' }, 'kernel'],
    [{ type: 'nfs', device: ':/x', o: 'addr=1.2.3.4' }, 'network'],
    [{ type: 'none', o: 'bind', device: '/srv' }, 'host-paths'],
    [{ type: 'overlay', device: 'overlay', o: 'lowerdir=/a:/b,upperdir=/c,workdir=/d' }, 'host-paths'],
    [{ type: 'zz', device: 'x' }, 'unreadable'],
    [{ Type: 'ext4', device: '/dev/vda' }, 'unreadable'],
  ])('%o → %s', (options, kind) => {
    expect(readVolume('local', options).kind).toBe(kind);
  });

  it('reads overlay layers read-only and the upper folder writable', () => {
    expect(
      readVolume('', { type: 'overlay', device: 'overlay', o: 'lowerdir=/a:/b,upperdir=/c,workdir=/d' }),
    ).toMatchObject({
      paths: [
        { path: '/a', readOnly: true },
        { path: '/b', readOnly: true },
        { path: '/c', readOnly: false },
        { path: '/d', readOnly: false },
      ],
    });
  });

  it('a driver other than local is a plugin', () => {
    expect(readVolume('rexray/ebs', {})).toEqual({ kind: 'plugin', driver: 'rexray/ebs' });
  });
});

describe('the first entry of a tar stream', () => {
  const t = mkdtempSync(join(tmpdir(), 'safedock-tar-'));
  const tar = (name: string, ...args: string[]): Buffer => {
    const out = join(t, `${name}.tar`);
    const r = spawnSync('tar', ['-C', t, '-cf', out, ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return readFileSync(out);
  };

  it('a file: its name and content', () => {
    writeFileSync(join(t, 'passwd'), 'root:x:0:0::/root:/bin/sh\n');
    const e = firstTarEntry(tar('file', 'passwd'));
    expect(e).toMatchObject({ name: 'passwd', type: '0' });
    expect(e?.body.toString()).toBe('root:x:0:0::/root:/bin/sh\n');
  });

  it('a link with a long target (PAX or GNU long link)', () => {
    const long = `../${'d'.repeat(150)}/passwd`;
    symlinkSync(long, join(t, 'link'));
    for (const format of ['--format=pax', '--format=gnu']) {
      const e = firstTarEntry(tar(`link${format}`, format, 'link'));
      expect(e).toMatchObject({ name: 'link', type: '2', linkName: long });
    }
  });

  it('a long file name', () => {
    const deep = join(t, 'x'.repeat(80), 'y'.repeat(80));
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(deep, 'group'), 'root:x:0:\n');
    const e = firstTarEntry(tar('long', '--format=pax', join('x'.repeat(80), 'y'.repeat(80), 'group')));
    expect(e?.name.endsWith('/group')).toBe(true);
    rmSync(t, { recursive: true, force: true });
  });

  it('a cut or empty stream is no entry', () => {
    expect(firstTarEntry(Buffer.alloc(1024))).toBeUndefined();
    expect(firstTarEntry(Buffer.alloc(100))).toBeUndefined();
  });
});
