/**
 * A password in a mount's options (a cifs volume's `o=username=…,password=…`, ceph's `secret=`)
 * never reaches a plan, a finding, --json or an engine error: the option keeps its name, the value
 * is masked.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRunArgv } from '../../../src/docker-cli/parse-argv.js';
import type { ImageFacts } from '../../../src/engine/engine.js';
import { EngineError } from '../../../src/engine/engine.js';
import {
  maskEngineMessage,
  maskLogOption,
  maskMountSecrets,
  maskOptionSecrets,
} from '../../../src/grammar/mount-secrets.js';
import { judgePlan } from '../../../src/policy/judge.js';
import { resolvePreset } from '../../../src/presets/builtin.js';
import { convertUserFlags, finalize, plan } from '../../../src/run/pipeline.js';
import { planToJson, planToText } from '../../../src/run/render-plan.js';

describe('maskMountSecrets', () => {
  it.each([
    ['o=username=bob,password=hunter2', 'o=username=bob,password=********'],
    ['"volume-opt=o=username=bob,password=hunter2,vers=3.0"', '"volume-opt=o=username=bob,password=********,vers=3.0"'],
    ['volume-opt=o=pass=hunter2', 'volume-opt=o=pass=********'],
    ['o=PASSWORD=hunter2', 'o=PASSWORD=********'],
    ['o=name=admin,secret=AQBx==', 'o=name=admin,secret=********'],
    ['o=username=bob,password=', 'o=username=bob,password='],
    ['o=username=bob,password2=hunter2,vers=3', 'o=username=bob,password2=********,vers=3'],
    ['o=username=bob,password=Pa,,ss99LEAK,vers=3', 'o=username=bob,password=********,vers=3'],
    ['o=password=Pa,,ss99LEAK', 'o=password=********'],
    // Not a password: a credentials file's path, a user name.
    ['o=credentials=/root/.smb,username=bob', 'o=credentials=/root/.smb,username=bob'],
    ['o=addr=10.0.0.1,rw', 'o=addr=10.0.0.1,rw'],
    // Spaces, quotes (doubled inside a quoted field) and colons belong to the password.
    [
      '"volume-opt=o=username=bob,password=se cret,vers=3",dst=/n',
      '"volume-opt=o=username=bob,password=********,vers=3",dst=/n',
    ],
    ['"volume-opt=o=password=a""b c:d",dst=/n', '"volume-opt=o=password=********",dst=/n'],
    ["o=password=it's: fine", 'o=password=********'],
  ])('%s → %s', (text, masked) => {
    expect(maskMountSecrets(text)).toBe(masked);
  });
});

describe('maskOptionSecrets (an option string as the engine gets it)', () => {
  it.each([
    ['username=bob,password=hunter2,vers=3.0', 'username=bob,password=********,vers=3.0'],
    ['username=bob,password=a"b c:d\'e,vers=3', 'username=bob,password=********,vers=3'],
    ['password=Pa,,ss word', 'password=********'],
    ['addr=10.0.0.1,rw', 'addr=10.0.0.1,rw'],
  ])('%s → %s', (text, masked) => expect(maskOptionSecrets(text)).toBe(masked));
});

describe('maskOptionSecrets: option names that hold a secret', () => {
  it.each([
    ['smbpassword=x,vers=3', 'smbpassword=********,vers=3'],
    ['secretkey=x', 'secretkey=********'],
    ['apikey=x,y=1', 'apikey=********,y=1'],
    ['api_key=x', 'api_key=********'],
    ['auth-token=x', 'auth-token=********'],
    ['secretfile=/etc/ceph/key', 'secretfile=********'],
    // Not secrets: a path to credentials, passthrough-like names.
    ['credentials=/root/.smb', 'credentials=/root/.smb'],
    ['passthrough=1', 'passthrough=1'],
  ])('%s → %s', (text, masked) => expect(maskOptionSecrets(text)).toBe(masked));
});

describe('maskLogOption', () => {
  it.each([
    ['splunk-token=176FCEBF-4CF5-4EDF-91BC-703796522D20', 'splunk-token=********'],
    ['splunk-url=https://splunk.example.com:8088', 'splunk-url=https://splunk.example.com:8088'],
    [
      'loki-url=https://user:S3cr3t@logs.example.com/loki/api/v1/push',
      'loki-url=https://user:********@logs.example.com/loki/api/v1/push',
    ],
    ['max-size=10m', 'max-size=10m'],
    ['tag', 'tag'],
  ])('%s → %s', (option, shown) => expect(maskLogOption(option)).toBe(shown));
});

describe("maskEngineMessage (the engine's own words around the mount data)", () => {
  it.each([
    ['data: username=bob,password=hunter2: no such device', 'data: username=bob,password=********: no such device'],
    [
      'data: username=bob,password=se cret: permission denied',
      'data: username=bob,password=********: permission denied',
    ],
    ['data: password=a"b:c d: host is down', 'data: password=********: host is down'],
    // A password may hold a line break: the value runs over it, to the engine's reason at the end.
    [
      'data: username=bob,password=AB\nCDEFLEAK: no such device',
      'data: username=bob,password=********: no such device',
    ],
    ['data: password=AB\nCD: x\nmore', 'data: password=********'],
    ['data: password=x y,vers=3.0: invalid argument', 'data: password=********,vers=3.0: invalid argument'],
    ['data: username=bob,password=: no such device', 'data: username=bob,password=: no such device'],
  ])('%s → %s', (text, masked) => expect(maskEngineMessage(text)).toBe(masked));
});

describe('no part of a password is ever shown, whatever it holds', () => {
  // Q and Z mark the password's ends; nothing else in the texts holds either letter.
  const password = fc
    .array(fc.constantFrom(' ', '"', "'", ':', ': ', 'x', ',,', '=', 'pass=', '\\'), { maxLength: 10 })
    .map((parts) => `Q${parts.join('')}Z`);
  it('in an option string, a --mount value as typed, and an engine error', () =>
    fc.assert(
      fc.property(password, (pw) => {
        expect(maskOptionSecrets(`username=bob,password=${pw},vers=3`)).not.toMatch(/[QZ]/);
        const typed = `type=volume,"volume-opt=o=username=bob,password=${pw.replace(/"/g, '""')}",dst=/n`;
        expect(maskMountSecrets(typed)).not.toMatch(/[QZ]/);
        const error = `failed to mount local volume: mount //srv/s:/x, data: username=bob,password=${pw}: no such device`;
        expect(maskEngineMessage(error)).not.toMatch(/[QZ]/);
      }),
      { numRuns: 3000 },
    ));
});

const ctx = { env: { HOME: '/root' }, cwd: '/work', apiVersion: '1.41' };
const image: ImageFacts = { id: 'sha256:1', user: '', volumes: [], exposedPorts: [] };
const CIFS =
  'type=volume,dst=/n,volume-opt=type=cifs,volume-opt=device=//srv/share,"volume-opt=o=username=bob,password=hunter2"';

describe('a cifs volume with a password', () => {
  it('is planned, judged (SD137) and shown without it, as text and as JSON', async () => {
    const parsed = parseRunArgv(['--mount', CIFS, 'web']);
    const { user, secrets } = convertUserFlags(parsed, ctx);
    const preset = { ...(await resolvePreset('strict')), chosenBy: '--preset' };
    const planned = plan({ parsed, user, secrets, preset }, image, ctx);
    const decision = judgePlan(planned, { mode: 'enforce', flagAccepts: [], project: undefined, ...ctx });
    expect(decision.findings.map((f) => f.rule)).toContain('SD137');
    const { request } = finalize(planned, undefined, { apiVersion: ctx.apiVersion });
    // The engine still gets it: the mount needs it.
    expect(JSON.stringify(request.body)).toContain('hunter2');
    const text = planToText(planned, request, ctx.apiVersion, 'plan', decision, { columns: 80, verbose: true });
    expect(text).toContain('password=********');
    expect(text).not.toContain('hunter2');
    const json = JSON.stringify(planToJson(planned, request, ctx.apiVersion, decision));
    expect(json).toContain('password=********');
    expect(json).not.toContain('hunter2');
  });

  it('a password with spaces, quotes and colons is shown nowhere, not even in part', async () => {
    const typed =
      'type=volume,dst=/n,volume-opt=type=cifs,volume-opt=device=//srv/share,"volume-opt=o=username=bob,password=Kx7 Wq""9Jv:Pz y"';
    const parsed = parseRunArgv(['--mount', typed, 'web']);
    const { user, secrets } = convertUserFlags(parsed, ctx);
    const preset = { ...(await resolvePreset('strict')), chosenBy: '--preset' };
    const planned = plan({ parsed, user, secrets, preset }, image, ctx);
    const decision = judgePlan(planned, { mode: 'enforce', flagAccepts: [], project: undefined, ...ctx });
    const { request } = finalize(planned, undefined, { apiVersion: ctx.apiVersion });
    expect(JSON.stringify(request.body)).toContain('Kx7 Wq\\"9Jv:Pz y');
    const shown = [
      planToText(planned, request, ctx.apiVersion, 'plan', decision, { columns: 80, verbose: true }),
      JSON.stringify(planToJson(planned, request, ctx.apiVersion, decision)),
      ...decision.findings.map((f) => JSON.stringify(f)),
    ];
    for (const text of shown) for (const part of ['Kx7', 'Wq', '9Jv', 'Pz']) expect(text).not.toContain(part);
  });

  it('an error about a malformed --mount value shows no part of its password', () => {
    for (const typed of [
      'type=volume,src=share,dst=/n,bogus=1,"volume-opt=o=username=bob,password=SEKRIT"',
      'type=volume,src=share,dst=/n,"volume-opt=o=password=SEK"RIT"',
      'type=volume,src=share,dst=/n,readonly=perhaps,"volume-opt=o=password=SEKRIT"',
      'type=bind,src=/x,dst=/n,"volume-opt=o=password=SEKRIT"',
    ]) {
      const parsed = parseRunArgv(['--mount', typed, 'web']);
      let message = '';
      try {
        convertUserFlags(parsed, ctx);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message, typed).toContain('--mount');
      expect(message, typed).not.toMatch(/SEK|RIT/);
    }
  });

  it('a log option holding a token is shown masked in the plan and its JSON', async () => {
    const parsed = parseRunArgv(['--log-driver', 'splunk', '--log-opt', 'splunk-token=TOKEN-XYZ', 'web']);
    const { user, secrets } = convertUserFlags(parsed, ctx);
    const preset = { ...(await resolvePreset('strict')), chosenBy: '--preset' };
    const planned = plan({ parsed, user, secrets, preset }, image, ctx);
    const decision = judgePlan(planned, { mode: 'warn', flagAccepts: [], project: undefined, ...ctx });
    const { request } = finalize(planned, undefined, { apiVersion: ctx.apiVersion });
    expect(JSON.stringify(request.body)).toContain('TOKEN-XYZ');
    const text = planToText(planned, request, ctx.apiVersion, 'plan', decision, { columns: 80, verbose: true });
    const json = JSON.stringify(planToJson(planned, request, ctx.apiVersion, decision));
    for (const shown of [text, json]) {
      expect(shown).toContain('splunk-token=********');
      expect(shown).not.toContain('TOKEN-XYZ');
    }
  });

  it("the engine's error quoting the mount data is masked", () => {
    const err = new EngineError(
      'Error response from daemon: failed to mount local volume: mount //srv/share:/x, data: username=bob,password=hunter2: no such device',
      500,
    );
    expect(err.message).not.toContain('hunter2');
    expect(err.message).toContain('password=********');
  });
});
