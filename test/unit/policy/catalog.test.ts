import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES, ruleById } from '../../../src/policy/catalog.js';
import { rulesMarkdown } from '../../../src/policy/rules-doc.js';
import { RULE_ID, SEVERITIES } from '../../../src/policy/types.js';
import { ruleScope } from '../../../src/policy/rule-scope.js';
import { packageRoot } from '../../../src/presets/builtin.js';

/** The ids and severities the policy was specified with (an id never changes meaning). */
const SPECIFIED: Readonly<Record<string, string>> = {
  SD101: 'critical',
  SD102: 'critical',
  SD103: 'critical',
  SD104: 'high',
  SD105: 'high',
  SD106: 'high',
  SD107: 'medium',
  SD108: 'medium',
  SD109: 'medium',
  SD110: 'medium',
  SD111: 'critical',
  SD112: 'low',
  SD113: 'low',
  SD114: 'high',
  SD115: 'high',
  SD116: 'high',
  SD117: 'high',
  SD118: 'high',
  SD119: 'low',
  SD120: 'critical',
  SD121: 'high',
  SD122: 'medium',
  SD123: 'high',
  SD124: 'high',
  SD125: 'medium',
  SD126: 'medium',
  SD127: 'medium',
  SD128: 'low',
  SD129: 'high',
  SD130: 'medium',
  SD131: 'medium',
  SD132: 'info',
  SD133: 'medium',
  SD134: 'critical',
  SD135: 'high',
  SD136: 'high',
  SD137: 'medium',
  SD138: 'high',
  SD139: 'high',
  SD150: 'medium',
  SD151: 'medium',
  SD152: 'medium',
  SD153: 'medium',
  SD154: 'high',
  SD155: 'low',
  SD170: 'medium',
  SD201: 'critical',
  SD202: 'critical',
  SD203: 'critical',
  SD204: 'high',
  SD205: 'high',
  SD206: 'high',
  SD207: 'medium',
  SD208: 'high',
  SD209: 'high',
  SD210: 'high',
  SD211: 'medium',
  SD212: 'medium',
  SD213: 'medium',
  SD214: 'medium',
  SD215: 'medium',
  SD216: 'low',
  SD217: 'low',
  SD218: 'low',
  SD219: 'low',
  SD220: 'low',
  SD221: 'low',
  SD222: 'low',
  SD223: 'low',
  SD224: 'low',
  SD225: 'low',
  SD301: 'low',
  SD302: 'low',
  SD303: 'low',
  SD304: 'medium',
  SD305: 'high',
  SD306: 'medium',
  SD307: 'high',
  SD308: 'high',
};

const PSS_CONTROLS = new Set([
  'hostNamespaces',
  'privileged',
  'capabilities_baseline',
  'hostPathVolumes',
  'hostPorts',
  'appArmorProfile',
  'seLinuxOptions',
  'procMount',
  'seccompProfile_baseline',
  'seccompProfile_restricted',
  'sysctls',
  'restrictedVolumes',
  'allowPrivilegeEscalation',
  'runAsNonRoot',
  'runAsUser',
  'capabilities_restricted',
]);

describe('the rule catalog', () => {
  it('ids are unique, well formed and in order', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(RULE_ID);
    expect(ids).toEqual([...ids].sort());
  });

  it('has every specified rule with its severity', () => {
    expect(Object.fromEntries(RULES.map((r) => [r.id, r.severity]))).toEqual(SPECIFIED);
  });

  it.each(RULES.map((r) => [r.id, r] as const))('%s: every field filled in', (_id, rule) => {
    expect(SEVERITIES).toContain(rule.severity);
    for (const text of [rule.title, rule.why, rule.fix]) {
      expect(text.trim()).not.toBe('');
      expect(text).not.toMatch(/\n/);
    }
    expect(rule.why.length).toBeGreaterThan(60);
    expect(rule.fix).toMatch(/[.)]$/);
    for (const id of rule.cis) expect(id).toMatch(/^(\d+\.\d+|C\.\d+\.\d+\.\d+)$/);
    for (const control of rule.pss) expect(PSS_CONTROLS).toContain(control);
  });

  it('every rule has a scope from its id: SD1xx settings, SD2xx daemon, SD3xx runtime', () => {
    expect(RULES.map((r) => ruleScope(r.id)).filter((s, i, all) => all.indexOf(s) === i)).toEqual([
      'settings',
      'daemon',
      'runtime',
    ]);
    expect(() => ruleScope('SD401')).toThrow(/outside the known id ranges/);
  });

  it.each(RULES.filter((r) => ruleScope(r.id) === 'daemon').map((r) => [r.id, r] as const))(
    '%s names its CIS id and the daemon.json key and dockerd flag (or owner and mode) that fix it',
    (_id, rule) => {
      expect(rule.cis.length).toBeGreaterThan(0);
      const daemonJson =
        /"[a-z-]+"[^.]* in daemon\.json \(dockerd --[a-z-]+/.test(rule.fix) ||
        /daemon\.json \(dockerd --[a-z-]+/.test(rule.fix);
      const files = /chown root:(root|docker)/.test(rule.fix) && /chmod [0-7]{3}/.test(rule.fix);
      const command = /docker swarm update --autolock=true|dockerd-rootless-setuptool\.sh/.test(rule.fix);
      expect(daemonJson || files || command, rule.fix).toBe(true);
    },
  );
  it('the seccomp rule names both PSS seccomp controls', () => {
    expect(ruleById('SD114')?.pss).toEqual(['seccompProfile_baseline', 'seccompProfile_restricted']);
  });

  it('per-item rules say what their items are; the others fire once per run', () => {
    const perItem = RULES.filter((r) => r.item !== undefined).map((r) => r.id);
    expect(perItem).toEqual([
      'SD102',
      'SD110',
      'SD111',
      'SD112',
      'SD120',
      'SD121',
      'SD122',
      'SD123',
      'SD124',
      'SD125',
      'SD129',
      'SD130',
      'SD132',
      'SD134',
      'SD135',
      'SD136',
      'SD137',
      'SD138',
      'SD139',
      'SD151',
    ]);
  });

  it('ruleById', () => {
    expect(ruleById('SD118')?.title).toBe('runs as root');
    expect(ruleById('SD999')).toBeUndefined();
    expect(ruleById('sd118')).toBeUndefined();
  });
});

describe('docs/rules.md', () => {
  const file = join(packageRoot, 'docs', 'rules.md');
  const text = readFileSync(file, 'utf8');

  it('is the catalog (run npm run docs:rules after changing the catalog)', () => {
    expect(text === rulesMarkdown(RULES), 'docs/rules.md is out of date: run npm run docs:rules').toBe(true);
  });

  it("its table lists exactly the catalog's ids and severities", () => {
    const rows = [...text.matchAll(/^\| (SD\d{3}) \| (\w+) \|/gm)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual(RULES.map((r) => [r.id, r.severity]));
  });
});
