import { describe, expect, it } from 'vitest';
import {
  DOCKER_ONLY_FLAGS,
  RUN_FLAGS,
  findLongFlag,
  findShortFlag,
  flagDisplayName,
} from '../../../src/docker-cli/run-flags.js';
import { OWN_FLAGS } from '../../../src/docker-cli/run-flags.js';
import { FIELD_RULES } from '../../../src/model/merge-rules.js';
import type { SpecField } from '../../../src/model/run-spec.js';
import { renderRunHelp } from '../../../src/docker-cli/run-help.js';

describe('flag table', () => {
  const longNames = RUN_FLAGS.flatMap((f) => [f.name, ...(f.aliases ?? [])]);
  it('has unique long names and aliases', () => {
    expect(new Set(longNames).size).toBe(longNames.length);
  });
  it('has unique shorthands', () => {
    const shorts = RUN_FLAGS.flatMap((f) => (f.short === undefined ? [] : [f.short]));
    expect(new Set(shorts).size).toBe(shorts.length);
  });
  it("safedock's own options collide with no docker flag, alias or unsupported flag", () => {
    for (const o of OWN_FLAGS) {
      expect(longNames).not.toContain(o.name);
      expect(DOCKER_ONLY_FLAGS).not.toContain(o.name);
    }
  });
  it('unsupported docker flags are not in the table', () => {
    for (const n of DOCKER_ONLY_FLAGS) expect(findLongFlag(n)).toBeUndefined();
  });
  it("every row names model fields that exist, and carries its first field's merge rule", () => {
    for (const f of RUN_FLAGS) {
      const fields = typeof f.field === 'string' ? [f.field] : f.field;
      for (const field of fields) expect(Object.keys(FIELD_RULES), `${f.name} → ${field}`).toContain(field);
      const first = fields[0];
      if (first === undefined) expect(f.merge, f.name).toBeUndefined();
      else expect(f.merge, f.name).toBe(FIELD_RULES[first]);
    }
  });
  it('every model field but the positionals is set by some flag', () => {
    const set = new Set(RUN_FLAGS.flatMap((f) => (typeof f.field === 'string' ? [f.field] : [...f.field])));
    const unset = (Object.keys(FIELD_RULES) as SpecField[]).filter((field) => !set.has(field));
    expect(unset.sort()).toEqual(['command', 'image']);
  });
  it('client-side flags cannot be preset; secret-carrying flags are marked', () => {
    const notPresettable = RUN_FLAGS.filter((f) => !f.presettable).map((f) => f.name);
    expect(notPresettable).toEqual(expect.arrayContaining(['detach', 'rm', 'name', 'pull', 'attach', 'cidfile']));
    expect(notPresettable).not.toContain('memory');
    expect(RUN_FLAGS.filter((f) => f.secret !== undefined).map((f) => f.name)).toEqual(['env', 'log-opt', 'mount']);
  });
  it("every flag's help text is one line in docker's style: capitalised, no final period", () => {
    for (const f of [...OWN_FLAGS, ...RUN_FLAGS]) {
      expect(f.help, f.name).toMatch(/^[A-Z]\S*( \S+)+$/);
      expect(f.help, f.name).not.toMatch(/\.$/);
    }
  });
  it('run --help shows every visible flag under the section of its group, one section per group', () => {
    // The type guarantees a group; what can go wrong is a group without a section in the help
    // (its flags silently missing) or two groups sharing one.
    const sectionOf = new Map<string, string>();
    let section = '';
    for (const line of renderRunHelp().split('\n')) {
      const title = /^(\S.*):$/.exec(line)?.[1];
      if (title !== undefined) section = title;
      const name = /^ {2}(?:-\w, | {4})--([\w-]+)/.exec(line)?.[1];
      if (name !== undefined) sectionOf.set(name, section);
    }
    const sectionOfGroup = new Map<string, string>();
    for (const f of [...OWN_FLAGS, ...RUN_FLAGS].filter((flag) => flag.hidden !== true)) {
      const shownIn = sectionOf.get(f.name);
      expect(shownIn, `--${f.name} is missing from run --help`).toBeDefined();
      expect(shownIn, `--${f.name} is outside the flag sections`).not.toBe('Usage');
      const first = sectionOfGroup.get(f.group) ?? shownIn;
      expect(shownIn, `--${f.name} (${f.group})`).toBe(first);
      if (shownIn !== undefined) sectionOfGroup.set(f.group, shownIn);
    }
    expect(new Set(sectionOfGroup.values()).size).toBe(sectionOfGroup.size);
  });
  it("-q's help says what quiet silences: safedock's notes too, and that SAFEDOCK_QUIET does the same", () => {
    const help = renderRunHelp(200)
      .split('\n')
      .find((line) => line.includes('--quiet'));
    expect(help).toContain('pull output');
    expect(help).toContain("safedock's notes");
    expect(help).toContain('SAFEDOCK_QUIET=1');
    expect(help).toContain('refusals, questions and errors still show');
  });
  it('covers this session’s required flags', () => {
    const required = [
      'detach',
      'interactive',
      'tty',
      'rm',
      'name',
      'env',
      'env-file',
      'user',
      'workdir',
      'entrypoint',
      'volume',
      'mount',
      'tmpfs',
      'publish',
      'publish-all',
      'network',
      'read-only',
      'cap-add',
      'cap-drop',
      'security-opt',
      'memory',
      'cpus',
      'pids-limit',
      'init',
      'label',
      'restart',
      'pull',
      'platform',
      'privileged',
      'hostname',
      'ulimit',
    ];
    for (const r of required) expect(findLongFlag(r), r).toBeDefined();
  });
  it.each([
    ['d', 'detach'],
    ['i', 'interactive'],
    ['t', 'tty'],
    ['e', 'env'],
    ['u', 'user'],
    ['w', 'workdir'],
    ['v', 'volume'],
    ['p', 'publish'],
    ['P', 'publish-all'],
    ['m', 'memory'],
    ['l', 'label'],
    ['h', 'hostname'],
    ['a', 'attach'],
    ['q', 'quiet'],
  ])('-%s is --%s', (short, long) => {
    expect(findShortFlag(short)?.name).toBe(long);
  });
  it.each([
    ['net', 'network'],
    ['net-alias', 'network-alias'],
    ['dns-opt', 'dns-option'],
  ])('--%s is an alias of --%s', (alias, canonical) => {
    expect(findLongFlag(alias)?.name).toBe(canonical);
  });
  it('converts every docker 28.2 run flag', () => {
    expect(DOCKER_ONLY_FLAGS).toEqual([]);
    const docker28 = [
      'add-host',
      'annotation',
      'attach',
      'blkio-weight',
      'blkio-weight-device',
      'cap-add',
      'cap-drop',
      'cgroup-parent',
      'cgroupns',
      'cidfile',
      'cpu-count',
      'cpu-percent',
      'cpu-period',
      'cpu-quota',
      'cpu-rt-period',
      'cpu-rt-runtime',
      'cpu-shares',
      'cpus',
      'cpuset-cpus',
      'cpuset-mems',
      'detach',
      'detach-keys',
      'device',
      'device-cgroup-rule',
      'device-read-bps',
      'device-read-iops',
      'device-write-bps',
      'device-write-iops',
      'disable-content-trust',
      'dns',
      'dns-opt',
      'dns-option',
      'dns-search',
      'domainname',
      'entrypoint',
      'env',
      'env-file',
      'expose',
      'gpus',
      'group-add',
      'health-cmd',
      'health-interval',
      'health-retries',
      'health-start-interval',
      'health-start-period',
      'health-timeout',
      'hostname',
      'init',
      'interactive',
      'io-maxbandwidth',
      'io-maxiops',
      'ip',
      'ip6',
      'ipc',
      'isolation',
      'kernel-memory',
      'label',
      'label-file',
      'link',
      'link-local-ip',
      'log-driver',
      'log-opt',
      'mac-address',
      'memory',
      'memory-reservation',
      'memory-swap',
      'memory-swappiness',
      'mount',
      'name',
      'net',
      'net-alias',
      'network',
      'network-alias',
      'no-healthcheck',
      'oom-kill-disable',
      'oom-score-adj',
      'pid',
      'pids-limit',
      'platform',
      'privileged',
      'publish',
      'publish-all',
      'pull',
      'quiet',
      'read-only',
      'restart',
      'rm',
      'runtime',
      'security-opt',
      'shm-size',
      'sig-proxy',
      'stop-signal',
      'stop-timeout',
      'storage-opt',
      'sysctl',
      'tmpfs',
      'tty',
      'ulimit',
      'use-api-socket',
      'user',
      'userns',
      'uts',
      'volume',
      'volume-driver',
      'volumes-from',
      'workdir',
    ];
    for (const n of docker28) expect(findLongFlag(n), n).toBeDefined();
    expect(findShortFlag('c')?.name).toBe('cpu-shares');
  });
  it('displays flags as pflag does', () => {
    const memory = findLongFlag('memory');
    const cpus = findLongFlag('cpus');
    if (memory === undefined || cpus === undefined) throw new Error('memory and cpus are in the flag table');
    expect(flagDisplayName(memory)).toBe('-m, --memory');
    expect(flagDisplayName(cpus)).toBe('--cpus');
  });
});
