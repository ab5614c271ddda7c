/**
 * Family 5 of issue #12: presets and project files as a way in. Files another user could have
 * written are ignored with a warning (as git ignores unsafe directories); a preset or project
 * `accept:` never accepts a critical finding; a preset that replaces a built-in's name says so in
 * every plan and in `presets list`.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, lchownSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRunArgv } from '../../../src/docker-cli/parse-argv.js';
import { judgePlan } from '../../../src/policy/judge.js';
import { presetsList } from '../../../src/presets/cli.js';
import { configTrust } from '../../../src/presets/trust.js';
import { SafedockError } from '../../../src/errors.js';
import { selectForRun } from '../../../src/presets/select.js';
import { plan, prepare } from '../../../src/run/pipeline.js';
import { presetYaml, scratch } from './helpers.js';

const me = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0, home: '/nonexistent' };

/** The project preset of the review: strict's name, extending strict, privileged, with acceptances. */
const PLANTED_STRICT = presetYaml(
  'strict',
  'extends: strict\nsettings:\n  privileged:\n    value: true\n  pid:\n    value: host\naccept:\n  SD101: planted\n  SD104: planted\n',
);

describe('which files are trusted', () => {
  it('your own files in folders only you and root can change are read', async () => {
    const s = scratch();
    s.write('proj/.safedock.yaml', 'preset: sandbox\n');
    const selected = await selectForRun(undefined, { cwd: join(s.root, 'proj'), env: s.env });
    expect(selected.preset.name).toBe('sandbox');
    expect(selected.notes).toEqual([]);
  });

  it('a project config every user may write is ignored with a warning; the search goes on upwards', async () => {
    const s = scratch();
    s.write('.safedock.yaml', 'preset: sandbox\n');
    const planted = s.write('proj/.safedock.yaml', 'preset: none\n');
    chmodSync(planted, 0o666);
    const selected = await selectForRun(undefined, { cwd: join(s.root, 'proj'), env: s.env });
    expect(selected.preset.name).toBe('sandbox');
    expect(selected.notes).toEqual([
      `ignored the project config ${planted}: every user may write to it; fix its owner or permissions, or set SAFEDOCK_TRUSTED_FOLDERS to a folder you trust`,
    ]);
  });

  it('a project config in a folder every user may write to (like a /tmp without the sticky bit) is ignored', async () => {
    const s = scratch();
    const planted = s.write('shared/.safedock.yaml', 'preset: none\n');
    chmodSync(join(s.root, 'shared'), 0o777);
    mkdirSync(join(s.root, 'shared', 'work'));
    const selected = await selectForRun(undefined, { cwd: join(s.root, 'shared', 'work'), env: s.env });
    expect(selected.preset.name).toBe('strict');
    expect(selected.preset.chosenBy).toBe('default');
    expect(selected.notes[0]).toContain(
      `ignored the project config ${planted}: ${join(s.root, 'shared')} every user may write to it`,
    );
  });

  it('a symlink you own, in a folder only you can change, to your own file is read', async () => {
    const s = scratch();
    const target = s.write('elsewhere/team.yaml', 'preset: sandbox\n');
    mkdirSync(join(s.root, 'proj'));
    symlinkSync(target, join(s.root, 'proj', '.safedock.yaml'));
    const selected = await selectForRun(undefined, { cwd: join(s.root, 'proj'), env: s.env });
    expect(selected.preset.name).toBe('sandbox');
    expect(selected.notes).toEqual([]);
  });

  it('a symlink in a folder every user may write, to a file of yours, is ignored: another user chose the file', async () => {
    const s = scratch();
    // Another project's config, with its acceptances: yours, but not this folder's.
    const target = s.write('other-project/.safedock.yaml', 'preset: sandbox\n');
    mkdirSync(join(s.root, 'shared'));
    chmodSync(join(s.root, 'shared'), 0o777);
    const link = join(s.root, 'shared', '.safedock.yaml');
    symlinkSync(target, link);
    const selected = await selectForRun(undefined, { cwd: join(s.root, 'shared'), env: s.env });
    expect(selected.preset.name).toBe('strict');
    expect(selected.notes[0]).toContain(
      `ignored the project config ${link}: the symlink ${link} on the way to it can be replaced`,
    );
  });

  it.runIf(me.uid === 0)(
    'a symlink another user owns, in a sticky folder, to a root-owned file is ignored',
    async () => {
      const s = scratch();
      const target = s.write('etc/some.yaml', 'preset: sandbox\n');
      mkdirSync(join(s.root, 'tmp'));
      chmodSync(join(s.root, 'tmp'), 0o1777);
      const link = join(s.root, 'tmp', '.safedock.yaml');
      symlinkSync(target, link);
      lchownSync(link, 4242, 4242);
      mkdirSync(join(s.root, 'tmp', 'mine'));
      const selected = await selectForRun(undefined, { cwd: join(s.root, 'tmp', 'mine'), env: s.env });
      expect(selected.preset.name).toBe('strict');
      expect(selected.notes[0]).toContain(`the symlink ${link} on the way to it belongs to uid 4242`);
      // The same check holds for a link half-way: a folder link another user owns.
      const viaFolder = configTrust({}, me);
      mkdirSync(join(s.root, 'real-dir'));
      s.write('real-dir/p.yaml', 'preset: sandbox\n');
      const folderLink = join(s.root, 'tmp', 'dir-link');
      symlinkSync(join(s.root, 'real-dir'), folderLink);
      lchownSync(folderLink, 4242, 4242);
      expect(viaFolder(join(folderLink, 'p.yaml'))).toContain(
        `the symlink ${folderLink} on the way to it belongs to uid 4242`,
      );
    },
  );

  it.runIf(me.uid === 0)(
    'a file whose access control list lets another user write is ignored, though its owner and group are yours',
    async () => {
      const s = scratch();
      const planted = s.write('proj/.safedock.yaml', 'preset: sandbox\n');
      chmodSync(planted, 0o664);
      // scripts/setup.sh installs acl; without setfacl this fails, it never passes for nothing.
      const acl = spawnSync('setfacl', ['-m', 'u:65534:rw', planted], { encoding: 'utf8' });
      expect(acl.status, acl.stderr).toBe(0);
      const selected = await selectForRun(undefined, { cwd: join(s.root, 'proj'), env: s.env });
      expect(selected.preset.name).toBe('strict');
      expect(selected.notes[0]).toContain('its access control list may let other users write to it');
      // The same mode without a list is yours and read.
      const plain = s.write('other/.safedock.yaml', 'preset: sandbox\n');
      chmodSync(plain, 0o664);
      expect((await selectForRun(undefined, { cwd: join(s.root, 'other'), env: s.env })).preset.name).toBe('sandbox');
    },
  );

  it('a sticky folder protects the files of their owner: yours there are read', async () => {
    const s = scratch();
    s.write('sticky/.safedock.yaml', 'preset: sandbox\n');
    chmodSync(join(s.root, 'sticky'), 0o1777);
    const selected = await selectForRun(undefined, { cwd: join(s.root, 'sticky'), env: s.env });
    expect(selected.preset.name).toBe('sandbox');
  });

  it.runIf(me.uid === 0)(
    "another user's project config (a /tmp/.safedock.yaml planted by them) is ignored",
    async () => {
      const s = scratch();
      const planted = s.write('tmp/.safedock.yaml', 'preset: none\naccept:\n  SD118: planted\n');
      chmodSync(join(s.root, 'tmp'), 0o1777);
      chownSync(planted, 4242, 4242);
      mkdirSync(join(s.root, 'tmp', 'mine'));
      const selected = await selectForRun(undefined, { cwd: join(s.root, 'tmp', 'mine'), env: s.env });
      expect(selected.preset.name).toBe('strict');
      expect(selected.project).toBeUndefined();
      expect(selected.notes[0]).toContain('it belongs to uid 4242, not to you (uid 0) or root');
    },
  );

  it.runIf(me.uid === 0)("another user's project folder: its presets are ignored too", async () => {
    const s = scratch();
    s.write('proj/.safedock.yaml', 'preset: mine\n');
    const preset = s.write('proj/.safedock/presets/mine.yaml', presetYaml('mine', 'extends: strict\n'));
    chownSync(join(s.root, 'proj', '.safedock'), 4242, 4242);
    await expect(selectForRun(undefined, { cwd: join(s.root, 'proj'), env: s.env })).rejects.toThrow(
      /preset "mine" \(from the project config .*\) is not used: the project preset .*mine\.yaml is not trusted: .*belongs to uid 4242/,
    );
    expect(configTrust(s.env, me)(preset)).toContain('belongs to uid 4242');
  });

  it('an untrusted preset asked for by name says why it is not used, never "Did you mean" its own name', async () => {
    const s = scratch();
    s.write('proj/.safedock.yaml', '');
    const planted = s.write('proj/.safedock/presets/hi.yaml', presetYaml('hi', 'extends: strict\n'));
    chmodSync(planted, 0o666);
    const cwd = join(s.root, 'proj');
    for (const name of ['hi', './hi.yaml', '.safedock/presets/hi.yaml']) {
      const err = await selectForRun(name, { cwd, env: s.env }).catch((e: unknown) => e as SafedockError);
      expect(err, name).toBeInstanceOf(SafedockError);
      const { message, hint } = err as SafedockError;
      expect(message).toBe(
        `preset "hi" is not used: the project preset ${planted} is not trusted: every user may write to it`,
      );
      expect(hint).toContain('or set SAFEDOCK_TRUSTED_FOLDERS to a folder you trust');
      expect(hint).not.toMatch(/Did you mean/);
      // The untrusted file is no preset: it is not offered among the names either.
      expect(hint).toContain('choose one of: compat, none, sandbox, strict.');
    }
  });

  it('--preset FILE of a trusted file says presets are chosen by name', async () => {
    const s = scratch();
    s.write('proj/.safedock/presets/web.yaml', presetYaml('web', 'extends: strict\n'));
    const err = await selectForRun('./web.yaml', { cwd: join(s.root, 'proj'), env: s.env }).catch(
      (e: unknown) => e as SafedockError,
    );
    expect((err as SafedockError).message).toBe(
      'preset "./web.yaml" is a file name; presets are chosen by name (--preset web for web.yaml)',
    );
  });

  it('user presets through an XDG_CONFIG_HOME others can write are ignored', async () => {
    const s = scratch();
    const planted = s.write('config/safedock/presets/strict.yaml', PLANTED_STRICT);
    chmodSync(join(s.root, 'config', 'safedock'), 0o777);
    const selected = await selectForRun(undefined, { cwd: s.root, env: s.env });
    expect(selected.preset.file).not.toBe(planted);
    expect(selected.preset.settings.privileged).toBeUndefined();
    expect(selected.notes[0]).toContain(`ignored the user preset ${planted}`);
  });

  it('SAFEDOCK_TRUSTED_FOLDERS trusts the files below the folders it names, whoever can write them', async () => {
    const s = scratch();
    const planted = s.write('proj/.safedock.yaml', 'preset: sandbox\n');
    chmodSync(planted, 0o666);
    for (const value of [join(s.root, 'proj'), `/nowhere:${s.root}`, '*']) {
      const selected = await selectForRun(undefined, {
        cwd: join(s.root, 'proj'),
        env: { ...s.env, SAFEDOCK_TRUSTED_FOLDERS: value },
      });
      expect(selected.preset.name, value).toBe('sandbox');
    }
    const relative = await selectForRun(undefined, {
      cwd: join(s.root, 'proj'),
      env: { ...s.env, SAFEDOCK_TRUSTED_FOLDERS: 'proj' },
    });
    expect(relative.preset.name).toBe('strict');
  });
});

describe('a preset that replaces a built-in, and acceptances from files', () => {
  it('the plan says the project strict is not the built-in; its critical acceptances do not count', async () => {
    const s = scratch();
    s.write('proj/.safedock.yaml', '');
    s.write('proj/.safedock/presets/strict.yaml', PLANTED_STRICT);
    const cwd = join(s.root, 'proj');
    const parsed = parseRunArgv(['img']);
    const prepared = await prepare(parsed, { env: s.env, cwd, mayAsk: false });
    expect(prepared.preset.chosenBy).toBe('default');
    const shadow = `preset strict is the project preset ${join(cwd, '.safedock', 'presets', 'strict.yaml')}, not the built-in strict: a file of that name replaces the built-in (safedock presets list shows both)`;
    expect(prepared.notes).toEqual([shadow]);
    // Security-relevant: -q and SAFEDOCK_QUIET do not silence it (see run-output's RunNotes).
    expect(prepared.alerts).toEqual([shadow]);
    const planned = plan(
      prepared,
      { id: 'sha256:1', user: '1000', volumes: [], exposedPorts: [] },
      { env: s.env, cwd },
    );
    expect(planned.notes).toContain(shadow);
    const decision = judgePlan(planned, {
      mode: 'enforce',
      flagAccepts: [],
      project: prepared.project,
      env: s.env,
      cwd,
    });
    // SD104 (high) may be accepted by the file; SD101 (critical) may not.
    expect(decision.accepted.map((f) => f.rule)).toEqual(['SD104']);
    expect(decision.blocking.map((f) => f.rule)).toEqual(['SD101']);
    expect(decision.verdict).toBe('refuse');
    // The command line may accept it.
    const flagged = judgePlan(planned, {
      mode: 'enforce',
      flagAccepts: [{ rule: 'SD101', key: 'SD101', reason: 'on purpose', by: { kind: 'flag' } }],
      project: prepared.project,
      env: s.env,
      cwd,
    });
    expect(flagged.verdict).toBe('proceed');
  });

  it('a project config cannot accept a critical finding either', async () => {
    const s = scratch();
    s.write('proj/.safedock.yaml', 'accept:\n  SD101: planted\n  SD111:NET_ADMIN: planted\n');
    const cwd = join(s.root, 'proj');
    const prepared = await prepare(parseRunArgv(['--privileged', '--cap-add', 'NET_ADMIN', 'img']), {
      env: s.env,
      cwd,
      mayAsk: false,
    });
    const planned = plan(
      prepared,
      { id: 'sha256:1', user: '1000', volumes: [], exposedPorts: [] },
      { env: s.env, cwd },
    );
    const decision = judgePlan(planned, {
      mode: 'enforce',
      flagAccepts: [],
      project: prepared.project,
      env: s.env,
      cwd,
    });
    expect(decision.blocking.map((f) => f.rule)).toEqual(['SD101']);
    // NET_ADMIN is a high SD111 finding: the project's acceptance of SD111:NET_ADMIN stands for it
    // (a bare SD111 is refused when the file is read: it would accept every capability).
    expect(decision.accepted.map((f) => `${f.rule}:${f.item ?? ''}`)).toEqual(['SD111:NET_ADMIN']);
  });

  it('presets list marks a preset that replaces a built-in', async () => {
    const s = scratch();
    s.write('proj/.safedock.yaml', '');
    s.write('proj/.safedock/presets/strict.yaml', PLANTED_STRICT);
    const out = await presetsList({ cwd: join(s.root, 'proj'), env: s.env }, false);
    expect(out.stdout).toMatch(/strict\s+built-in \(overridden by project\)/);
    expect(out.stdout).toMatch(/strict\s+project, replaces the built-in/);
  });
});
