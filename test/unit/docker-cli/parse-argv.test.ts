import { describe, expect, it } from 'vitest';
import { parseRunArgv } from '../../../src/docker-cli/parse-argv.js';
import { SafedockError, UsageError } from '../../../src/errors.js';

type Opts = [string, string][];
const opts = (argv: string[]): Opts => parseRunArgv(argv).options.map((o) => [o.name, o.value]);

describe('parseRunArgv: option spellings', () => {
  const rows: [string[], Opts][] = [
    [['-d', 'img'], [['detach', 'true']]],
    [['--detach', 'img'], [['detach', 'true']]],
    [
      ['-dit', 'img'],
      [
        ['detach', 'true'],
        ['interactive', 'true'],
        ['tty', 'true'],
      ],
    ],
    [
      ['-it', 'img'],
      [
        ['interactive', 'true'],
        ['tty', 'true'],
      ],
    ],
    [['--name', 'x', 'img'], [['name', 'x']]],
    [['--name=x', 'img'], [['name', 'x']]],
    [['--name=', 'img'], [['name', '']]],
    [['--name=a=b', 'img'], [['name', 'a=b']]],
    [['-p8080:80', 'img'], [['publish', '8080:80']]],
    [['-p', '8080:80', 'img'], [['publish', '8080:80']]],
    [['-p=8080:80', 'img'], [['publish', '8080:80']]],
    [['-e=X=1', 'img'], [['env', 'X=1']]],
    [['-e', 'X=1', 'img'], [['env', 'X=1']]],
    [['-eX=1', 'img'], [['env', 'X=1']]],
    [['-e=', 'img'], [['env', '=']]],
    [
      ['-dp', '80:80', 'img'],
      [
        ['detach', 'true'],
        ['publish', '80:80'],
      ],
    ],
    [
      ['-dp80:80', 'img'],
      [
        ['detach', 'true'],
        ['publish', '80:80'],
      ],
    ],
    [
      ['-ite', 'A=1', 'img'],
      [
        ['interactive', 'true'],
        ['tty', 'true'],
        ['env', 'A=1'],
      ],
    ],
    [['--rm', 'img'], [['rm', 'true']]],
    [['--rm=false', 'img'], [['rm', 'false']]],
    [['--rm=0', 'img'], [['rm', 'false']]],
    [['--rm=1', 'img'], [['rm', 'true']]],
    [['--rm=t', 'img'], [['rm', 'true']]],
    [['--rm=T', 'img'], [['rm', 'true']]],
    [['--rm=TRUE', 'img'], [['rm', 'true']]],
    [['--rm=True', 'img'], [['rm', 'true']]],
    [['--rm=f', 'img'], [['rm', 'false']]],
    [['--rm=F', 'img'], [['rm', 'false']]],
    [['--rm=FALSE', 'img'], [['rm', 'false']]],
    [['--rm=False', 'img'], [['rm', 'false']]],
    [['-d=false', 'img'], [['detach', 'false']]],
    [['--net', 'host', 'img'], [['network', 'host']]],
    [['--net=host', 'img'], [['network', 'host']]],
    [['--net-alias', 'a', 'img'], [['network-alias', 'a']]],
    [['--dns-opt', 'ndots:2', 'img'], [['dns-option', 'ndots:2']]],
    [
      ['-e', 'A', '-e', 'B', 'img'],
      [
        ['env', 'A'],
        ['env', 'B'],
      ],
    ],
    [['-h', 'myhost', 'img'], [['hostname', 'myhost']]],
    [
      ['-m', '512m', '-u', '1000', '-w', '/app', '-l', 'a=b', '-v', '/a', '-P', 'img'],
      [
        ['memory', '512m'],
        ['user', '1000'],
        ['workdir', '/app'],
        ['label', 'a=b'],
        ['volume', '/a'],
        ['publish-all', 'true'],
      ],
    ],
    [['--entrypoint=', 'img'], [['entrypoint', '']]],
    [['--', 'img'], []],
    [['-d', '--', 'img', '--rm'], [['detach', 'true']]],
  ];
  it.each(rows)('%j', (argv, expected) => {
    expect(opts(argv)).toEqual(expected);
  });
});

describe('parseRunArgv: image and command', () => {
  const rows: [string[], string | undefined, string[]][] = [
    [['img'], 'img', []],
    [['img', 'sh', '-c', 'ls -l'], 'img', ['sh', '-c', 'ls -l']],
    [['img', 'echo', '--name', 'x'], 'img', ['echo', '--name', 'x']],
    [['--rm', 'false'], 'false', []],
    [['--rm', 'img', '--rm'], 'img', ['--rm']],
    [['img', '--', 'x'], 'img', ['--', 'x']],
    [['--', 'img', 'a'], 'img', ['a']],
    [['--', '--rm'], '--rm', []],
    [['-', 'x'], '-', ['x']],
    [['-d', 'img', '-d'], 'img', ['-d']],
    [['--help'], undefined, []],
    [['--help', 'img'], 'img', []],
  ];
  it.each(rows)('%j', (argv, image, command) => {
    const p = parseRunArgv(argv);
    expect(p.image).toBe(image);
    expect(p.command).toEqual(command);
  });
});

describe('parseRunArgv: safedock options', () => {
  it('reads --preset, --dry-run, --json, --help among docker flags', () => {
    const p = parseRunArgv(['--rm', '--preset', 'strict', '--dry-run', '--json', '-d', 'img']);
    expect(p.own).toEqual({
      preset: 'strict',
      dryRun: true,
      json: true,
      verbose: false,
      help: false,
      accept: [],
      reason: [],
      yes: false,
      pick: false,
      secret: [],
    });
    expect(p.options).toEqual([
      { name: 'rm', value: 'true' },
      { name: 'detach', value: 'true' },
    ]);
  });
  it('reads the policy options: --policy, repeated --accept/--reason/--secret, --yes, --pick', () => {
    const p = parseRunArgv([
      '--policy=warn',
      '--accept',
      'SD118',
      '--reason',
      'a',
      '--accept=sd104',
      '--reason=b',
      '--yes',
      '--pick',
      '--secret',
      'db=./f',
      '--secret=k=/x',
      '-u0',
      'img',
      '--accept',
      'x',
    ]);
    expect(p.own).toEqual({
      policy: 'warn',
      dryRun: false,
      json: false,
      verbose: false,
      help: false,
      accept: ['SD118', 'sd104'],
      reason: ['a', 'b'],
      yes: true,
      pick: true,
      secret: ['db=./f', 'k=/x'],
    });
    expect(p.options).toEqual([{ name: 'user', value: '0' }]);
    expect(p.command).toEqual(['--accept', 'x']);
  });
  it('accepts --preset=x and --dry-run=false', () => {
    expect(parseRunArgv(['--preset=x', '--dry-run=false', 'img']).own).toEqual({
      preset: 'x',
      dryRun: false,
      json: false,
      verbose: false,
      help: false,
      accept: [],
      reason: [],
      yes: false,
      pick: false,
      secret: [],
    });
  });
  it('defaults', () => {
    expect(parseRunArgv(['img']).own).toEqual({
      dryRun: false,
      json: false,
      verbose: false,
      help: false,
      accept: [],
      reason: [],
      yes: false,
      pick: false,
      secret: [],
    });
  });
  it('after the image they belong to the container', () => {
    expect(parseRunArgv(['img', '--dry-run']).own.dryRun).toBe(false);
  });
  it('--help=false runs normally', () => {
    expect(parseRunArgv(['--help=false', 'img']).own.help).toBe(false);
  });
});

describe('parseRunArgv: docker error texts', () => {
  const rows: [string[], string][] = [
    [['--bogus'], 'unknown flag: --bogus'],
    [['--bogus=1', 'img'], 'unknown flag: --bogus'],
    [['--cap_add', 'x', 'img'], 'unknown flag: --cap_add'],
    [['--nam', 'x', 'img'], 'unknown flag: --nam'],
    [['-x', 'img'], "unknown shorthand flag: 'x' in -x"],
    [['-dx', 'img'], "unknown shorthand flag: 'x' in -x"],
    [['-f=1', 'img'], "unknown shorthand flag: 'f' in -f=***"],
    // A value in the rest of the cluster is never echoed.
    [['-xeDB_PASSWORD=hunter2', 'img'], "unknown shorthand flag: 'x' in -xeDB_PASSWORD=***"],
    [['-dxe', 'API_TOKEN=abc', 'img'], "unknown shorthand flag: 'x' in -xe"],
    [['-d=', 'img'], "unknown shorthand flag: '=' in -="],
    [['-rm', 'img'], "unknown shorthand flag: 'r' in -rm"],
    [['---x', 'img'], 'bad flag syntax: ---x'],
    [['--=x', 'img'], 'bad flag syntax: --=x'],
    [['--name'], 'flag needs an argument: --name'],
    [['-e'], "flag needs an argument: 'e' in -e"],
    [['-de'], "flag needs an argument: 'e' in -e"],
    [
      ['--rm=garbage', 'img'],
      'invalid argument "garbage" for "--rm" flag: strconv.ParseBool: parsing "garbage": invalid syntax',
    ],
    [['--rm=', 'img'], 'invalid argument "" for "--rm" flag: strconv.ParseBool: parsing "": invalid syntax'],
    [['-d=x', 'img'], 'invalid argument "x" for "-d, --detach" flag: strconv.ParseBool: parsing "x": invalid syntax'],
    [
      ['--rm=\u0001', 'img'],
      'invalid argument "\\x01" for "--rm" flag: strconv.ParseBool: parsing "\\x01": invalid syntax',
    ],
    [
      ['--dry-run=maybe', 'img'],
      'invalid argument "maybe" for "--dry-run" flag: strconv.ParseBool: parsing "maybe": invalid syntax',
    ],
  ];
  it.each(rows)('%j → %s', (argv, message) => {
    let caught: unknown;
    try {
      parseRunArgv(argv);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(UsageError);
    expect((caught as UsageError).message).toBe(message);
    expect((caught as UsageError).exitCode).toBe(125);
  });

  it('no image: exit 1 like docker, with the usage line', () => {
    for (const argv of [[], ['-d'], ['--rm', '--']]) {
      let caught: unknown;
      try {
        parseRunArgv(argv);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(SafedockError);
      expect((caught as SafedockError).message).toBe("'safedock run' requires at least 1 argument");
      expect((caught as SafedockError).exitCode).toBe(1);
      expect((caught as SafedockError).hint).toContain('safedock run [OPTIONS] IMAGE [COMMAND] [ARG...]');
    }
  });

  it.each(['explain', 'learn'])("no image: the error names %s, which takes run's arguments", (command) => {
    let caught: unknown;
    try {
      parseRunArgv(['--rm'], { command });
    } catch (e) {
      caught = e;
    }
    expect((caught as SafedockError).message).toBe(`'safedock ${command}' requires at least 1 argument`);
    expect((caught as SafedockError).hint).toContain(`Usage:  safedock ${command} [OPTIONS] IMAGE [COMMAND] [ARG...]`);
    expect((caught as SafedockError).hint).not.toContain('safedock run');
  });
});

describe('parseRunArgv: hints', () => {
  const hint = (argv: string[]): string | undefined => {
    try {
      parseRunArgv(argv);
    } catch (e) {
      return (e as UsageError).hint;
    }
    return undefined;
  };
  it.each([
    [['--nam', 'x', 'img'], '--name'],
    [['--detatch', 'img'], '--detach'],
    [['--priviledged', 'img'], '--privileged'],
    [['--dryrun', 'img'], '--dry-run'],
    [['--presets', 'x', 'img'], '--preset'],
    [['-rm', 'img'], '--rm'],
    [['-name', 'x', 'img'], '--name'],
    [['-net=host', 'img'], '--net'],
  ])('%j suggests %s', (argv, suggestion) => {
    expect(hint(argv)).toContain(`Did you mean ${suggestion}?`);
  });
  it('parses every docker run flag: none is left unsupported', () => {
    expect(parseRunArgv(['--gpus', 'all', 'img']).options).toEqual([{ name: 'gpus', value: 'all' }]);
    expect(parseRunArgv(['-c512', '-dc', '2', 'img']).options).toEqual([
      { name: 'cpu-shares', value: '512' },
      { name: 'detach', value: 'true' },
      { name: 'cpu-shares', value: '2' },
    ]);
    expect(parseRunArgv(['--no-healthcheck', '--use-api-socket=false', 'img']).options).toEqual([
      { name: 'no-healthcheck', value: 'true' },
      { name: 'use-api-socket', value: 'false' },
    ]);
  });
  it('always points at help', () => {
    expect(hint(['--zzzzzz', 'img'])).toBe("See 'safedock run --help'.");
  });
});
