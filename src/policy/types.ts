import type { ImageFacts } from '../engine/engine.js';
import type { Provenance, Source } from '../model/provenance.js';
import type { RunSpec } from '../model/run-spec.js';
import type { RunFacts } from './facts.js';

/** Severities, lowest first. `info` is shown in plans only; `high` and `critical` need consent. */
export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** A rule id: SD followed by three digits (SD101…). Ids are stable: a retired rule's id is never reused. */
export type RuleId = `SD${number}`;
export const RULE_ID = /^SD\d{3}$/;

/** One entry of the rule catalog (src/policy/catalog.ts). */
export interface Rule {
  id: RuleId;
  severity: Severity;
  /** Short, e.g. "privileged container". */
  title: string;
  /** Why it matters: what an attacker inside the container gains. */
  why: string;
  /** The smallest change that removes the finding, phrased as an instruction. */
  fix: string;
  /** CIS Docker Benchmark 1.6 ids, e.g. ["5.5"]; empty when no check covers it. */
  cis: readonly string[];
  /** Kubernetes Pod Security Standards controls, e.g. ["privileged"]; empty when none. */
  pss: readonly string[];
  /**
   * For a rule that fires once per item: what the item is (the capability, the mount, …). Its
   * findings are keyed `ID:ITEM` (SD111:NET_ADMIN) and accepted one by one; the bare id accepts
   * them all. A rule without items fires at most once per run and its key is its id.
   */
  item?: ItemKind;
}

/**
 * What a per-item rule's items are, and how an acceptance's item is written:
 * - capability: the name without CAP_, upper case (NET_ADMIN; cap_net_admin is read the same);
 * - mount:      HOST:TARGET, the host path made absolute (~ and relative paths expanded) and the
 *               path inside (SD121:/etc/krb5.conf:/etc/krb5.conf);
 * - variable:   the environment variable's name, case kept (SD129:DB_PASSWORD);
 * - target:     the path inside the container, for mounts that are no host path (a volume);
 * - port:       PORT/PROTO inside the container (SD125:80/tcp; 80 is read as 80/tcp), or -P;
 * - other kinds (device, cgroup rule, sysctl, namespace, setting, image, network) as the finding
 *   names them.
 */
export type ItemKind =
  | 'capability'
  | 'mount'
  | 'target'
  | 'group'
  | 'variable'
  | 'port'
  | 'device'
  | 'cgroup rule'
  | 'sysctl'
  | 'namespace'
  | 'setting'
  | 'image'
  | 'network';

/** Where a risky effective setting came from ('engine': read from an existing container). */
export type FindingOrigin = Source['kind'] | 'default';

/** One rule firing on one run. */
export interface Finding {
  rule: RuleId;
  severity: Severity;
  title: string;
  /** This run's evidence, naming the setting as the engine will get it (never a secret's value). */
  detail: string;
  fix: string;
  origin: FindingOrigin;
  /** The item it is about (a capability, a mount, a variable…) when the rule fires per item. */
  item?: string;
  /** Stable across runs of the same settings: the rule id, then `:ITEM` for per-item rules (SD111:NET_ADMIN). */
  key: string;
}

/** A finding's key: `SD118`, or `SD111:NET_ADMIN` for one item of a per-item rule. */
export const findingKey = (rule: RuleId, item: string | undefined): string =>
  item === undefined ? rule : `${rule}:${item}`;

/** The host facts rules may read (injected so that tests can fake them). */
export interface HostView {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The invoking user's home directory on this host (from the passwd database, not HOME). */
  home: string;
  /** The invoking user's uid: /root counts as a home folder for uid 0 only. */
  uid?: number;
  /**
   * Canonical path (symlinks resolved) of an absolute path; for a missing path, of its longest
   * existing parent plus the rest.
   */
  realpath(path: string): string;
  /**
   * What lies at an absolute path (symlinks followed), or undefined when it is missing or cannot
   * be read. Absent when the host cannot be asked (the rules then assume the worst).
   */
  stat?(path: string): HostStat | undefined;
}

/** A host file's kind, owner and permission bits, for judging who can write it. */
export interface HostStat {
  kind: 'file' | 'directory' | 'char-device' | 'block-device' | 'other';
  uid: number;
  gid: number;
  /** The permission bits (mode & 0o7777). */
  mode: number;
}

/** Everything the rules look at: the merged run model, never the command line's spelling. */
export interface PolicyInput {
  /** The run as it will be sent (merged preset + image tailoring + your flags). */
  spec: RunSpec;
  /** Who set each field and item (for a finding's origin). */
  provenance: Provenance;
  /** The image's configuration when it was inspected. */
  image: ImageFacts | undefined;
  host: HostView;
  /** Facts gathered from the engine, the image and the host (src/policy/facts.ts). */
  facts?: RunFacts | undefined;
}
