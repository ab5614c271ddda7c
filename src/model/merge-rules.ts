/**
 * How a preset's value of each field combines with yours, one line per field. The flag table
 * (src/docker-cli/run-flags.ts) gives every docker flag the rule of the field it sets.
 * - replace: your value replaces the preset's (a list is one value: your networks replace its).
 * - keyed:   items are matched by key; yours replaces the preset's item with the same key, the
 *            preset's other items stay (mounts by target, capabilities by name, env by name …).
 * - union:   both apply; dropping more capabilities only tightens, so nothing is "replaced".
 * - append:  the preset's items, then yours.
 * - map:     entries by key, yours winning (labels, sysctls, log options …).
 * `drops`: fields whose preset value only makes sense with the preset's value of this one (a
 * preset's json-file log options would make your --log-driver refuse to start).
 */
import { capabilityName } from '../grammar/capabilities.js';
import type { RunSpec, SpecField } from './run-spec.js';
import { mountTarget } from './mounts.js';

export interface ReplaceRule {
  kind: 'replace';
  drops?: readonly SpecField[];
}
export interface AppendRule {
  kind: 'append';
}
export interface KeyedRule<I> {
  kind: 'keyed' | 'union';
  key: (item: I) => string;
}
export interface MapRule {
  kind: 'map';
}

type RuleFor<T> = [T] extends [readonly (infer I)[] | null]
  ? ReplaceRule | AppendRule | KeyedRule<I>
  : [T] extends [Record<string, string>]
    ? ReplaceRule | MapRule
    : ReplaceRule;

export type FieldRules = { readonly [F in SpecField]: RuleFor<RunSpec[F]> };
export type MergeRule = FieldRules[SpecField];

const replace: ReplaceRule = { kind: 'replace' };
const append: AppendRule = { kind: 'append' };
const map: MapRule = { kind: 'map' };
const keyed = <I>(key: (item: I) => string): KeyedRule<I> => ({ kind: 'keyed', key });
const beforeEquals = (entry: string): string => entry.slice(0, entry.indexOf('=') < 0 ? undefined : entry.indexOf('='));

export const FIELD_RULES: FieldRules = {
  image: replace,
  command: replace,
  entrypoint: replace,
  user: replace,
  workdir: replace,
  env: keyed(beforeEquals),
  groupAdd: append,
  hostname: replace,
  domainname: replace,
  labels: map,
  annotations: map,
  stopSignal: replace,
  stopTimeout: replace,
  init: replace,
  healthcheck: replace,
  name: replace,
  platform: replace,
  detach: replace,
  detachKeys: replace,
  interactive: replace,
  tty: replace,
  attach: replace,
  sigProxy: replace,
  quiet: replace,
  pull: replace,
  cidfile: replace,
  autoRemove: replace,
  useApiSocket: replace,
  privileged: replace,
  capAdd: keyed(capabilityName),
  capDrop: { kind: 'union', key: capabilityName },
  securityOpt: keyed((o) => o.key),
  maskedPaths: replace,
  readonlyPaths: replace,
  readOnly: replace,
  runtime: replace,
  isolation: replace,
  cgroupParent: replace,
  pid: replace,
  ipc: replace,
  uts: replace,
  userns: replace,
  cgroupns: replace,
  mounts: keyed(mountTarget),
  volumesFrom: append,
  volumeDriver: replace,
  storageOpt: map,
  // One endpoint per --network, but a preset's network is a choice yours replaces: joining both
  // would attach the container to the two.
  networks: replace,
  networkAliases: append,
  ip: replace,
  ip6: replace,
  macAddress: replace,
  linkLocalIps: append,
  links: append,
  ports: keyed((p) => p.port),
  expose: keyed((port) => port),
  publishAll: replace,
  dns: append,
  dnsOptions: append,
  dnsSearch: append,
  extraHosts: append,
  devices: keyed((d) => d.PathInContainer),
  cdiDevices: append,
  gpus: append,
  deviceCgroupRules: append,
  sysctls: map,
  ulimits: keyed((u) => u.Name),
  memory: replace,
  memoryReservation: replace,
  memorySwap: replace,
  memorySwappiness: replace,
  kernelMemory: replace,
  oomKillDisable: replace,
  oomScoreAdj: replace,
  shmSize: replace,
  nanoCpus: replace,
  cpuShares: replace,
  cpuPeriod: replace,
  cpuQuota: replace,
  cpuRealtimePeriod: replace,
  cpuRealtimeRuntime: replace,
  cpusetCpus: replace,
  cpusetMems: replace,
  pidsLimit: replace,
  blkioWeight: replace,
  blkioWeightDevice: append,
  blkioDeviceReadBps: append,
  blkioDeviceWriteBps: append,
  blkioDeviceReadIOps: append,
  blkioDeviceWriteIOps: append,
  cpuCount: replace,
  cpuPercent: replace,
  ioMaximumBandwidth: replace,
  ioMaximumIOps: replace,
  logDriver: { kind: 'replace', drops: ['logOpts'] },
  logOpts: map,
  restart: replace,
};

/** The item key of one element of a keyed field (for provenance and acceptance keys). */
export function itemKeyOf(field: SpecField, item: unknown): string | undefined {
  const rule: MergeRule = FIELD_RULES[field];
  return rule.kind === 'keyed' || rule.kind === 'union' ? (rule.key as (i: unknown) => string)(item) : undefined;
}
