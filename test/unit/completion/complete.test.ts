import { describe, expect, it } from 'vitest';
import { complete, type Completion } from '../../../src/completion/complete.js';
import { buildSpec, type OclifCommandInfo } from '../../../src/completion/spec.js';
import { RULES } from '../../../src/policy/catalog.js';
import { OWN_FLAGS, RUN_FLAGS } from '../../../src/docker-cli/run-flags.js';

/** oclif's view of the commands, as Config.load gives it (the fields completion reads). */
const COMMANDS: OclifCommandInfo[] = [
  { id: 'run', summary: 'Run a command', flags: {}, args: {} },
  { id: 'explain', summary: 'Explain a run', flags: {}, args: {} },
  { id: 'learn', summary: 'Learn a preset', flags: {}, args: {} },
  {
    id: 'init',
    summary: 'Set up a folder',
    flags: {
      preset: { name: 'preset', type: 'option' },
      yes: { name: 'yes', char: 'y', type: 'boolean' },
      network: { name: 'network', type: 'boolean', allowNo: true },
      address: { name: 'address', type: 'option' },
      secret: { name: 'secret', type: 'option', hidden: true },
    },
    args: {},
  },
  {
    id: 'presets:show',
    summary: 'Show a preset',
    flags: { format: { name: 'format', type: 'option', options: ['yaml', 'json', 'args'] } },
    args: { name: { name: 'name' } },
  },
  { id: 'presets:list', summary: 'List presets', flags: { json: { name: 'json', type: 'boolean' } }, args: {} },
  { id: 'rules', summary: 'Rules', flags: {}, args: { id: { name: 'id' } } },
  { id: 'seccomp:check', summary: 'Check a profile', flags: {}, args: { file: { name: 'file' } } },
  {
    id: 'completion',
    summary: 'Scripts',
    flags: {},
    args: { shell: { name: 'shell', options: ['bash', 'zsh', 'fish'] } },
  },
  { id: 'help', summary: 'Help', flags: {}, args: {} },
  { id: 'secret:thing', hidden: true, flags: {}, args: {} },
];

const SPEC = buildSpec(COMMANDS);
const SOURCES = {
  presets: () => Promise.resolve(['compat', 'none', 'sandbox', 'strict', 'web']),
  services: () => Promise.resolve(['api', 'web']),
  rules: RULES,
};

/** Completes the last word of `line` (split at spaces; a trailing space starts an empty word). */
async function at(line: string): Promise<Completion> {
  const words = line.split(' ');
  const cur = words.pop() ?? '';
  return complete(SPEC, words, cur, SOURCES);
}
const values = async (line: string): Promise<string[]> => (await at(line)).candidates.map((c) => c.value);

describe('completion: commands and topics', () => {
  it('offers every visible command and topic at the top, with what each does', async () => {
    expect(await values('')).toEqual([
      'completion',
      'explain',
      'help',
      'init',
      'learn',
      'presets',
      'rules',
      'run',
      'seccomp',
    ]);
    expect((await at('')).candidates.find((c) => c.value === 'init')?.description).toBe('Set up a folder');
    expect(await values('pre')).toEqual(['presets']);
    expect(await values('-')).toEqual([
      '--help',
      '--version',
      '--context',
      '--host',
      '--tls',
      '--tlsverify',
      '--tlscacert',
      '--tlscert',
      '--tlskey',
      '--config',
      '--debug',
      '--log-level',
    ]);
  });

  it('offers a topic its commands, words separated by spaces', async () => {
    expect(await values('presets ')).toEqual(['list', 'show']);
    expect(await values('presets s')).toEqual(['show']);
    expect(await values('seccomp ')).toEqual(['check']);
    expect(await values('nosuch ')).toEqual([]);
  });

  it('completes the commands after help', async () => {
    expect(await values('help pre')).toEqual(['presets']);
    expect(await values('help presets l')).toEqual(['list']);
  });
});

describe("completion: run and explain take docker's flags", () => {
  it('offers every visible docker run flag and safedock flag, with docker aliases', async () => {
    const offered = await values('run --');
    for (const flag of [...OWN_FLAGS, ...RUN_FLAGS].filter((f) => f.hidden !== true)) {
      expect(offered).toContain(`--${flag.name}`);
      for (const alias of flag.aliases ?? []) expect(offered).toContain(`--${alias}`);
    }
    expect(offered).not.toContain('--help-me');
    expect(await values('explain --pre')).toEqual(['--preset']);
    expect(await values('learn --pro')).toEqual(['--probe']);
    expect(await values('learn --probe ')).toEqual(['tcp:', 'http:']);
    expect(await values('learn --rm -')).toContain('--settle');
  });

  it('offers shorthands after a lone dash', async () => {
    const offered = await values('run -');
    expect(offered).toContain('-p');
    expect(offered).toContain('-e');
    expect(offered).toContain('--publish');
  });

  it.each([
    ['run --preset ', ['compat', 'none', 'sandbox', 'strict', 'web']],
    ['run --preset s', ['sandbox', 'strict']],
    ['run --preset=s', ['--preset=sandbox', '--preset=strict']],
    ['run --service ', ['api', 'web']],
    ['run --rm --network ', ['bridge', 'host', 'none']],
    ['run --net=h', ['--net=host']],
    ['run --pull ', ['always', 'missing', 'never']],
    ['run --policy e', ['enforce']],
    ['run --cap-add NET_BI', ['NET_BIND_SERVICE']],
    ['run --cap-drop A', ['ALL', 'AUDIT_CONTROL', 'AUDIT_READ', 'AUDIT_WRITE']],
    ['run --security-opt no', ['no-new-privileges']],
    ['run --accept SD11', ['SD110', 'SD111', 'SD112', 'SD113', 'SD114', 'SD115', 'SD116', 'SD117', 'SD118', 'SD119']],
    ['run -e A=1 --restart u', ['unless-stopped']],
    ['run -it --log-driver j', ['json-file', 'journald']],
  ])('%s', async (line, expected) => {
    expect(await values(line)).toEqual(expected);
  });

  it('the value of a short flag, alone or at the end of a cluster', async () => {
    expect(await values('run -e ')).toEqual([]);
    expect((await at('run -itp ')).names).toBeUndefined();
    expect(await values('run -it --')).toContain('--rm');
  });

  it("leaves file values to the shell's file names", async () => {
    expect(await at('run --env-file ')).toEqual({ candidates: [], names: 'files' });
    expect(await at('run --cidfile x')).toEqual({ candidates: [], names: 'files' });
  });

  it("after the image, the words are the container's command: the shell's file names", async () => {
    expect(await at('run --rm -e X=1 img ')).toEqual({ candidates: [], names: 'files' });
    expect(await at('run --rm img --')).toEqual({ candidates: [], names: 'files' });
    expect(await at('run --network host img sh -')).toEqual({ candidates: [], names: 'files' });
  });

  it('the image itself completes to nothing (it is not a file)', async () => {
    expect(await at('run --rm ')).toEqual({ candidates: [] });
  });
});

describe("completion: the other commands' flags and arguments", () => {
  it('flags, --no- forms, never hidden ones, and --help', async () => {
    expect(await values('init --')).toEqual(['--preset', '--yes', '--network', '--no-network', '--address', '--help']);
    expect(await values('init -')).toContain('-y');
  });

  it('values of flags and arguments', async () => {
    expect(await values('init --preset sa')).toEqual(['sandbox']);
    expect(await values('init --address 127')).toEqual(['127.0.0.1']);
    expect(await values('presets show --format ')).toEqual(['yaml', 'json', 'args']);
    expect(await values('presets show ')).toEqual(['compat', 'none', 'sandbox', 'strict', 'web']);
    expect(await values('presets show --format json w')).toEqual(['web']);
    expect(await values('completion ')).toEqual(['bash', 'zsh', 'fish']);
    expect(await at('seccomp check ')).toEqual({ candidates: [], names: 'files' });
    expect(await values('presets show web ')).toEqual([]);
  });

  it('rule ids with their titles, in the case typed', async () => {
    const out = await at('rules sd10');
    expect(out.candidates.map((c) => c.value)).toEqual(
      RULES.filter((r) => r.id.startsWith('SD10')).map((r) => `sd${r.id.slice(2)}`),
    );
    expect(out.candidates[0]?.description).toBe(RULES[0]?.title);
  });

  it('never a hidden command', async () => {
    expect(await values('se')).toEqual(['seccomp']);
  });
});

describe("completion after docker's global options", () => {
  it.each([
    ['--context X run --pre', ['--preset']],
    ['-c X run --pre', ['--preset']],
    ['-H unix:///x run --pre', ['--preset']],
    ['-Hunix:///x run --pre', ['--preset']],
    ['--host=unix:///x run --pre', ['--preset']],
    ['-DH unix:///x run --pre', ['--preset']],
    ['--config /tmp/c run --preset s', ['sandbox', 'strict']],
    ['--tls --tlsverify --tlscacert ca.pem --tlscert c.pem --tlskey k.pem run --pre', ['--preset']],
    ['-D -l debug presets s', ['show']],
    ['--debug=false --context X pre', ['presets']],
    ['--context X --log-level ', ['panic', 'fatal', 'error', 'warn', 'warning', 'info', 'debug', 'trace']],
    ['--log-level=w', ['--log-level=warn', '--log-level=warning']],
    ['--context X --con', ['--context', '--config']],
  ])('%s', async (line, expected) => {
    expect(await values(line)).toEqual(expected);
  });

  it("a global option's value: folders for --config, files for the TLS files, nothing for a context", async () => {
    expect(await at('--config ')).toEqual({ candidates: [], names: 'dirs' });
    expect(await at('-H unix:///x --tlscacert ')).toEqual({ candidates: [], names: 'files' });
    expect(await at('--context ')).toEqual({ candidates: [] });
    expect(await at('-c ')).toEqual({ candidates: [] });
  });

  it("after the image of a run placed behind global options, the container's command", async () => {
    expect(await at('--context X run --rm img ')).toEqual({ candidates: [], names: 'files' });
  });
});

describe('completion descriptions', () => {
  it("render oclif's <%= config.bin %> template (help's own summary uses it)", () => {
    const spec = buildSpec([{ id: 'help', summary: 'Display help for <%= config.bin %>.', flags: {}, args: {} }]);
    expect(spec.commands[0]?.summary).toBe('Display help for safedock.');
  });
});
