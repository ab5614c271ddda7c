import type { ProfileFile } from './profile.js';

export const FORMATS = ['compose', 'swarm', 'k8s', 'args'] as const;
export type ExportFormat = (typeof FORMATS)[number];
export const KINDS = ['deployment', 'pod'] as const;
export type K8sKind = (typeof KINDS)[number];
/** How a Kubernetes export applies the plan's seccomp profile. */
export const SECCOMP_MODES = ['localhost', 'operator', 'runtime-default'] as const;
export type SeccompMode = (typeof SECCOMP_MODES)[number];

/** The numeric user and group a run's user names, resolved from the image's /etc/passwd and /etc/group. */
export interface NumericUser {
  uid: number;
  gid: number | undefined;
}

/** What every renderer gets besides the run itself. */
export interface ExportContext {
  /** The service, stack service or Kubernetes object's name. */
  name: string;
  /** The preset the plan was made with, for the document's header. */
  preset: string;
  /** The seccomp profile the plan applies, when it is a profile (not unconfined or the default). */
  profile: ProfileFile | undefined;
  /** Whether the files go to a folder (-o): the profile is then written beside the document. */
  toFolder: boolean;
  kind: K8sKind;
  seccomp: SeccompMode;
  /** The run's user as numbers, when it could be resolved (Kubernetes wants numbers). */
  user: NumericUser | undefined;
  /**
   * The preset's isolated network (inter-container traffic off) when the run joins it: a target
   * gets its own equivalent, never a reference to the engine's shared one.
   */
  isolatedNetwork?: string | undefined;
}

/** How a document names the profile: beside it (a relative path), else where it was read from. */
export function profileReference(ctx: ExportContext, relative: (name: string) => string): string | undefined {
  if (ctx.profile === undefined) return undefined;
  if (ctx.toFolder) return relative(ctx.profile.name);
  return ctx.profile.source;
}
