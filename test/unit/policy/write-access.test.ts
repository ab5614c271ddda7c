/** Who can write a host file inside the container (src/policy/write-access.ts), table-driven. */
import { describe, expect, it } from 'vitest';
import { readSecurityOpt } from '../../../src/grammar/security-opt.js';
import { emptySpec, type RunSpec } from '../../../src/model/run-spec.js';
import { boundingCapabilities, cannotWrite } from '../../../src/policy/write-access.js';
import type { HostStat } from '../../../src/policy/types.js';

const ROOT_FILE: HostStat = { kind: 'file', uid: 0, gid: 0, mode: 0o644 };
const STRICT: Partial<RunSpec> = {
  user: '65534:65534',
  capDrop: ['ALL'],
  securityOpt: [readSecurityOpt('no-new-privileges')],
};
const spec = (over: Partial<RunSpec>): RunSpec => ({ ...emptySpec('img'), ...STRICT, ...over });

describe('cannotWrite', () => {
  it.each<[string, Partial<RunSpec>, HostStat, boolean]>([
    ["strict's uid 65534, a root-owned 0644 file", {}, ROOT_FILE, true],
    ['a root-owned 0644 device node', {}, { ...ROOT_FILE, kind: 'char-device' }, true],
    ['uid 1000 without a group given: any group, but 0644 has no group write', { user: '1000' }, ROOT_FILE, true],
    // Each of these may write.
    ['a folder: its mode says nothing of the files below', {}, { ...ROOT_FILE, kind: 'directory' }, false],
    ['root', { user: '0' }, ROOT_FILE, false],
    ['root by name', { user: 'root' }, ROOT_FILE, false],
    ['a user by name (resolved in the image)', { user: 'app' }, ROOT_FILE, false],
    ["the image's user (not given)", { user: '' }, ROOT_FILE, false],
    ["the file is the uid's own", {}, { ...ROOT_FILE, uid: 65534 }, false],
    ['writable by others', {}, { ...ROOT_FILE, mode: 0o666 }, false],
    ['group-writable, the group given', { user: '65534:42' }, { ...ROOT_FILE, gid: 42, mode: 0o664 }, false],
    ['group-writable, the group added', { groupAdd: ['42'] }, { ...ROOT_FILE, gid: 42, mode: 0o664 }, false],
    ['group-writable, a group added by name', { groupAdd: ['staff'] }, { ...ROOT_FILE, gid: 42, mode: 0o664 }, false],
    ['group-writable, another group', {}, { ...ROOT_FILE, gid: 42, mode: 0o664 }, true],
    ['DAC_OVERRIDE added', { capAdd: ['CAP_DAC_OVERRIDE'] }, ROOT_FILE, false],
    ['fowner added', { capAdd: ['fowner'] }, ROOT_FILE, false],
    ['SETUID added', { capAdd: ['SETUID'] }, ROOT_FILE, false],
    ["docker's default capabilities (no --cap-drop ALL)", { capDrop: [] }, ROOT_FILE, false],
    ['--privileged', { privileged: true }, ROOT_FILE, false],
    ['no-new-privileges off', { securityOpt: [] }, ROOT_FILE, false],
    ['NET_BIND_SERVICE added changes nothing', { capAdd: ['NET_BIND_SERVICE'] }, ROOT_FILE, true],
  ])('%s: cannot write = %s', (_what, over, st, expected) => {
    const why = cannotWrite(spec(over), undefined, st);
    expect(why !== undefined).toBe(expected);
    if (why !== undefined)
      expect(why).toMatch(/^uid \d+ without capabilities cannot write it \(owner \d+, mode \d{3}\)$/);
  });

  it("reads the image's user when none is given", () => {
    const image = { id: 'sha256:1', user: '1000:1000', volumes: [], exposedPorts: [] };
    expect(cannotWrite(spec({ user: '' }), image, ROOT_FILE)).toBeDefined();
  });
});

describe('boundingCapabilities', () => {
  it("docker's defaults less drops plus adds; none after --cap-drop ALL but the adds", () => {
    expect(boundingCapabilities({ capAdd: [], capDrop: ['ALL'] })).toEqual(new Set());
    expect(boundingCapabilities({ capAdd: ['cap_net_admin'], capDrop: ['all'] })).toEqual(new Set(['NET_ADMIN']));
    const d = boundingCapabilities({ capAdd: [], capDrop: ['CAP_CHOWN'] });
    expect(d.has('CHOWN')).toBe(false);
    expect(d.has('DAC_OVERRIDE')).toBe(true);
  });
});
