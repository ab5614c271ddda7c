import { packageRoot } from '../../../src/package-root.js';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinPresets, resolvePreset } from '../../../src/presets/builtin.js';

const HARDENED = ['strict', 'sandbox', 'compat'] as const;

describe('the hardened built-ins', () => {
  it('validate, and every setting of each says why, citing CIS or PSS or saying that none applies', async () => {
    const presets = await builtinPresets();
    for (const name of HARDENED) {
      const preset = await resolvePreset(name);
      expect(presets.get(name)?.source).toBe('built-in');
      for (const [key, setting] of Object.entries(preset.settings))
        expect(setting.reason, `${name}.${key}`).toMatch(
          /CIS \d\.\d+|PSS (baseline|restricted)|no CIS 5\.x or PSS control/,
        );
      expect(preset.image?.nonRootUser?.reason ?? 'CIS 4.1').toMatch(/CIS 4\.1/);
    }
  });

  it.each(HARDENED)('%s rotates its log: json-file, 10 MB, 3 files', async (name) => {
    const preset = await resolvePreset(name);
    expect(preset.settings['log-driver']?.value).toBe('json-file');
    expect(preset.settings['log-opt']?.value).toEqual(['max-size=10m', 'max-file=3']);
  });

  it('sandbox is strict without a network, with tighter limits, the port and ping sysctls and an init', async () => {
    const [strict, sandbox] = await Promise.all([resolvePreset('strict'), resolvePreset('sandbox')]);
    expect((await builtinPresets()).get('sandbox')?.extends).toBe('strict');
    expect(sandbox.settings.network?.value).toBe('none');
    expect(sandbox.settings.memory?.value).toBe('256m');
    expect(sandbox.settings.cpus?.value).toBe('0.5');
    expect(sandbox.settings['pids-limit']?.value).toBe(64);
    expect(sandbox.settings.sysctl?.value).toEqual([
      'net.ipv4.ip_unprivileged_port_start=1024',
      'net.ipv4.ping_group_range=1 0',
    ]);
    expect(sandbox.settings.init?.value).toBe(true);
    for (const key of ['cap-drop', 'read-only', 'tmpfs', 'log-driver', 'log-opt'] as const)
      expect(sandbox.settings[key], key).toEqual(strict.settings[key]);
    // Its own profile (strict's, without memfd_create), anchored to its own file; no-new-privileges as strict.
    expect(sandbox.settings['security-opt']?.value).toEqual([
      'no-new-privileges',
      `seccomp=${join(packageRoot, 'seccomp', 'sandbox.json')}`,
    ]);
    expect(sandbox.image).toEqual(strict.image);
    // The isolated network is inherited, but sandbox's own --network none wins in every run.
    expect(sandbox.network).toEqual(strict.network);
  });

  it('compat drops all capabilities but six PSS-baseline ones, keeps no-new-privileges, a writable root and the image user', async () => {
    const compat = await resolvePreset('compat');
    expect(compat.settings['cap-drop']?.value).toEqual(['ALL']);
    expect(compat.settings['cap-add']?.value).toEqual([
      'CHOWN',
      'SETUID',
      'SETGID',
      'DAC_OVERRIDE',
      'FOWNER',
      'NET_BIND_SERVICE',
    ]);
    const pssBaseline = [
      'AUDIT_WRITE',
      'CHOWN',
      'DAC_OVERRIDE',
      'FOWNER',
      'FSETID',
      'KILL',
      'MKNOD',
      'NET_BIND_SERVICE',
      'SETFCAP',
      'SETGID',
      'SETPCAP',
      'SETUID',
      'SYS_CHROOT',
    ];
    for (const cap of compat.settings['cap-add']?.value as string[]) expect(pssBaseline).toContain(cap);
    expect(compat.settings['security-opt']?.value).toEqual(['no-new-privileges', 'seccomp=../seccomp/strict.json']);
    expect(compat.settings['read-only']?.value).toBe(false);
    for (const key of ['memory', 'cpus', 'pids-limit'] as const) expect(compat.settings[key], key).toBeDefined();
    expect(compat.image).toBeUndefined();
  });

  it('strict keeps what it had', async () => {
    const strict = await resolvePreset('strict');
    expect(strict.settings).toMatchObject({
      'cap-drop': { value: ['ALL'] },
      'security-opt': { value: ['no-new-privileges', 'seccomp=../seccomp/strict.json'] },
      'read-only': { value: true },
      tmpfs: { value: ['/tmp:rw,noexec,nosuid,nodev,size=64m'] },
      memory: { value: '512m' },
      cpus: { value: '1' },
      'pids-limit': { value: 256 },
    });
  });
});
