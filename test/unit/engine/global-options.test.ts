import { describe, expect, it } from 'vitest';
import { parseGlobalOptions, type EngineGlobals } from '../../../src/engine/global-options.js';
import { SafedockError } from '../../../src/errors.js';

// Every spelling pflag accepts for docker's global options, before the command.
describe('parseGlobalOptions', () => {
  it.each<[string[], EngineGlobals, string[]]>([
    [['run', '--rm', 'x'], {}, ['run', '--rm', 'x']],
    [['--context', 'c', 'run'], { context: 'c' }, ['run']],
    [['--context=c', 'run'], { context: 'c' }, ['run']],
    [['-c', 'c', 'run'], { context: 'c' }, ['run']],
    [['-cc', 'run'], { context: 'c' }, ['run']],
    [['-c=c', 'run'], { context: 'c' }, ['run']],
    [['-H', 'unix:///x', 'run'], { hosts: ['unix:///x'] }, ['run']],
    [['-Hunix:///x', 'run'], { hosts: ['unix:///x'] }, ['run']],
    [['--host', 'tcp://h', 'run'], { hosts: ['tcp://h'] }, ['run']],
    [['--host=tcp://h', 'ps'], { hosts: ['tcp://h'] }, ['ps']],
    [['-H', 'a', '-H', 'b', 'run'], { hosts: ['a', 'b'] }, ['run']],
    [['--tls', 'run'], { tls: true }, ['run']],
    [['--tls=false', 'run'], { tls: false }, ['run']],
    [['--tlsverify', 'run'], { tlsVerify: true }, ['run']],
    [['--tlsverify=0', 'run'], { tlsVerify: false }, ['run']],
    [['--tlsverify=True', 'run'], { tlsVerify: true }, ['run']],
    [
      ['--tlscacert', '/c/ca', '--tlscert=/c/cert', '--tlskey', '/c/key', 'run'],
      { tlsCaCert: '/c/ca', tlsCert: '/c/cert', tlsKey: '/c/key' },
      ['run'],
    ],
    [['--config', '/cfg', 'run'], { config: '/cfg' }, ['run']],
    [['-D', 'run'], { debug: true }, ['run']],
    [['--debug=false', 'run'], { debug: false }, ['run']],
    [['-l', 'DEBUG', 'run'], { logLevel: 'debug' }, ['run']],
    [['--log-level=warn', 'run'], { logLevel: 'warn' }, ['run']],
    [['-Dl', 'error', 'run'], { debug: true, logLevel: 'error' }, ['run']],
    [['-DH', 'unix:///x', 'run'], { debug: true, hosts: ['unix:///x'] }, ['run']],
    [['-DHunix:///x', 'run'], { debug: true, hosts: ['unix:///x'] }, ['run']],
    // Options of the command layer stay for it, with everything after them.
    [['--version'], {}, ['--version']],
    [['-v'], {}, ['-v']],
    [['--context', 'c', '--help'], { context: 'c' }, ['--help']],
    [['-Dv'], {}, ['-Dv']],
    [['--context', 'c', 'run', '-H', 'not-global'], { context: 'c' }, ['run', '-H', 'not-global']],
    [[], {}, []],
  ])('%j', (argv, globals, rest) => {
    expect(parseGlobalOptions(argv)).toEqual({ globals, rest });
  });

  it.each<[string[], string, number]>([
    [['-H'], "flag needs an argument: 'H' in -H", 125],
    [['--context'], 'flag needs an argument: --context', 125],
    [['-c'], "flag needs an argument: 'c' in -c", 125],
    [
      ['--tls=maybe', 'run'],
      'invalid argument "maybe" for "--tls" flag: strconv.ParseBool: parsing "maybe": invalid syntax',
      125,
    ],
    [['-l', 'loud', 'run'], 'Unable to parse logging level: loud', 1],
  ])('%j: docker’s message and exit code', (argv, message, exitCode) => {
    let caught: unknown;
    try {
      parseGlobalOptions(argv);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SafedockError);
    expect((caught as SafedockError).message).toBe(message);
    expect((caught as SafedockError).exitCode).toBe(exitCode);
  });
});
