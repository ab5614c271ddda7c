/** A volume's password is left to a variable in every export (the engine tests: export-volume-passwords). */
import { describe, expect, it } from 'vitest';
import { renderCompose } from '../../../src/export/compose-file.js';
import { renderSwarm } from '../../../src/export/swarm-file.js';
import { renderArgsFile } from '../../../src/export/args-file.js';
import { hideVolumePasswords, passwordVariable, writeVariables } from '../../../src/export/volume-passwords.js';
import { planned } from './helpers.js';

const show = (text: string): string => writeVariables(text, (name) => `<${name}>`);

describe('passwordVariable', () => {
  it.each([
    ['share', 'password', 'SHARE_PASSWORD'],
    ['my-share.1', 'password2', 'MY_SHARE_1_PASSWORD2'],
    ['/data/cifs', 'secret', 'DATA_CIFS_SECRET'],
    ['1db', 'pass', 'V_1DB_PASS'],
  ])('%s, %s → %s', (volume, key, variable) => expect(passwordVariable(volume, key)).toBe(variable));
});

describe('hideVolumePasswords', () => {
  it.each([
    [
      { o: 'username=bob,password=a b"c:d,vers=3' },
      { o: 'username=bob,password=<SHARE_PASSWORD>,vers=3' },
      ['SHARE_PASSWORD'],
    ],
    [
      { o: 'password=x,,y,password2=z' },
      { o: 'password=<SHARE_PASSWORD>,password2=<SHARE_PASSWORD2>' },
      ['SHARE_PASSWORD', 'SHARE_PASSWORD2'],
    ],
    [{ o: 'name=admin,secret=AQBx==' }, { o: 'name=admin,secret=<SHARE_SECRET>' }, ['SHARE_SECRET']],
    // A driver option named as a password is one as a whole.
    [{ password: 'p,q r' }, { password: '<SHARE_PASSWORD>' }, ['SHARE_PASSWORD']],
    [{ o: 'username=bob,password=', type: 'cifs' }, { o: 'username=bob,password=', type: 'cifs' }, []],
    [{ type: 'nfs', o: 'addr=10.0.0.1,rw' }, { type: 'nfs', o: 'addr=10.0.0.1,rw' }, []],
  ])('%j → %j', (options, shown, variables) => {
    const { options: out, hidden } = hideVolumePasswords(options, 'share');
    expect(Object.fromEntries(Object.entries(out).map(([k, v]) => [k, show(v)]))).toEqual(shown);
    expect(hidden.map((h) => h.variable)).toEqual(variables);
  });
});

describe('variables of their own', () => {
  it('two volumes whose names differ in punctuation get two variables; one volume mounted twice, one', () => {
    const first = hideVolumePasswords({ o: 'password=a' }, 'db-a');
    const second = hideVolumePasswords({ o: 'password=b' }, 'db_a', first.hidden);
    expect(first.hidden.map((h) => h.variable)).toEqual(['DB_A_PASSWORD']);
    expect(second.hidden.map((h) => h.variable)).toEqual(['DB_A_PASSWORD_2']);
    const again = hideVolumePasswords({ o: 'password=a' }, 'db-a', [...first.hidden, ...second.hidden]);
    expect(again.hidden).toEqual([]);
    expect(show(again.options.o ?? '')).toBe('password=<DB_A_PASSWORD>');
  });

  it('in a compose file and a docker run line alike', async () => {
    const mount = (name: string, pw: string): string[] => [
      '--mount',
      `type=volume,src=${name},dst=/${name},volume-opt=type=cifs,volume-opt=device=//srv/s,"volume-opt=o=password=${pw}"`,
    ];
    const { spec, export: ex } = await planned([...mount('db-a', 'one'), ...mount('db_a', 'two'), 'img']);
    const compose = (await renderCompose(spec, ex)).main.text;
    expect(compose).toContain('o: password=${DB_A_PASSWORD}');
    expect(compose).toContain('o: password=${DB_A_PASSWORD_2}');
    const line = renderArgsFile(spec, { ...ex, toFolder: false }).main.text;
    expect(line).toContain('"$DB_A_PASSWORD"');
    expect(line).toContain('"$DB_A_PASSWORD_2"');
  });
});

const CIFS = [
  '--mount',
  'type=volume,src=share,dst=/n,volume-opt=type=cifs,volume-opt=device=//srv/share,"volume-opt=o=username=bob,password=Kx7 Wq""9:Pz",volume-label=team=web,volume-nocopy',
  '--name',
  'app',
  'img',
];

describe('the exports of a run with a cifs volume', () => {
  it('compose and stack files declare the volume with ${VARIABLE} for its password, and say so', async () => {
    const { spec, export: ex } = await planned(CIFS);
    const compose = await renderCompose(spec, ex);
    const stack = await renderSwarm(spec, ex);
    for (const [r, reads] of [
      [compose, 'docker-compose takes it from SHARE_PASSWORD'],
      [stack, 'docker stack deploy takes it from SHARE_PASSWORD'],
    ] as const) {
      expect(r.main.text).toContain('o: username=bob,password=${SHARE_PASSWORD}');
      expect(r.main.text).toMatch(/share:\n\s+name: share\n\s+driver_opts:\n\s+type: cifs\n\s+device: \/\/srv\/share/);
      expect(r.main.text).toMatch(/labels:\n\s+team: web/);
      expect(r.main.text).toMatch(/volume:\n\s+nocopy: true/);
      expect(r.notes.join('\n')).toContain(reads);
      for (const part of ['Kx7', 'Wq', 'Pz']) expect(r.main.text + r.notes.join('\n')).not.toContain(part);
    }
  });

  it('the docker run line names "$VARIABLE" inside its quoted --mount word', async () => {
    const { spec, export: ex } = await planned(CIFS);
    const r = renderArgsFile(spec, { ...ex, toFolder: false });
    expect(r.main.text).toContain(`"volume-opt=o=username=bob,password='"$SHARE_PASSWORD"'"'`);
    expect(r.notes.join('\n')).toContain('the shell takes it from SHARE_PASSWORD');
    for (const part of ['Kx7', 'Wq', 'Pz']) expect(r.main.text).not.toContain(part);
  });

  it('a password in a driver option of its own stands in a quoted field of the line', async () => {
    const { spec, export: ex } = await planned([
      '--mount',
      'type=volume,src=sh2,dst=/n,volume-driver=other,volume-opt=password=abc',
      'img',
    ]);
    const r = renderArgsFile(spec, { ...ex, toFolder: false });
    expect(r.main.text).toContain(`"volume-opt=password='"$SH2_PASSWORD"'"'`);
    const note = r.notes.find((n) => n.includes('SH2_PASSWORD')) ?? '';
    expect(note).toContain('a double quote in it written twice');
    expect(note).not.toContain('a comma');
    expect(r.main.text).not.toContain('abc');
  });

  it("an anonymous volume's driver options are reported lost in compose and stack files, never dropped quietly", async () => {
    const { spec, export: ex } = await planned([
      '--mount',
      'type=volume,dst=/n,volume-opt=type=tmpfs,volume-opt=device=tmpfs',
      'img',
    ]);
    for (const r of [await renderCompose(spec, ex), await renderSwarm(spec, ex)]) {
      expect(r.losses.map((l) => l.why)).toContain(
        'a volume is declared with its driver, options and labels only under a name',
      );
    }
  });

  it('a stack file reports a volume subpath lost', async () => {
    const { spec, export: ex } = await planned(['--mount', 'type=volume,src=v,dst=/n,volume-subpath=x', 'img']);
    const r = await renderSwarm(spec, ex);
    expect(r.losses.map((l) => l.why)).toContain('a stack file has no volume subpath');
  });
});
