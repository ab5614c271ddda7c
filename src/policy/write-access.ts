/**
 * Who can write a host file inside the container. A read-write bind of a host file the
 * container's user cannot write is judged as read-only: `-v /etc/localtime:/etc/localtime` under
 * strict (uid 65534, no capabilities, no-new-privileges) cannot change the host's zone file.
 *
 * The answer is "cannot write" only when all of these hold, and "may write" otherwise:
 * - the process starts as a numeric uid other than 0 (a name is resolved inside the image, which
 *   the policy does not read; root owns most host files and needs no capability to write them);
 * - no-new-privileges is on (else a setuid binary in the image can make it root);
 * - no capability that bypasses or changes file permissions or identities is in its bounding set
 *   (DAC_OVERRIDE, FOWNER, CHOWN, SETUID, SETGID, SYS_ADMIN; --privileged has them all);
 * - the file is not owned by that uid, its group bit does not admit one of the container's groups
 *   (a group given by name, or none given, counts as any group), and it is not writable by others.
 * Only files and device nodes qualify: a folder's own mode says nothing about the files below it.
 */
import { capabilityName, ENGINE_DEFAULT_CAPABILITIES } from '../grammar/capabilities.js';
import type { ImageFacts } from '../engine/engine.js';
import type { RunSpec } from '../model/run-spec.js';
import { noNewPrivileges } from './rules/context.js';
import type { HostStat } from './types.js';

/** Capabilities that write a file whatever its owner and mode say, or become its owner. */
const OVERRIDING = new Set(['ALL', 'DAC_OVERRIDE', 'FOWNER', 'CHOWN', 'SETUID', 'SETGID', 'SYS_ADMIN']);

/** The bounding set the container gets: the defaults (or none, after --cap-drop ALL) less drops plus adds. */
export function boundingCapabilities(spec: Pick<RunSpec, 'capAdd' | 'capDrop'>): Set<string> {
  const drop = spec.capDrop.map(capabilityName);
  const caps = new Set(drop.includes('ALL') ? [] : ENGINE_DEFAULT_CAPABILITIES.filter((c) => !drop.includes(c)));
  for (const c of spec.capAdd) caps.add(capabilityName(c));
  return caps;
}

const NUMERIC = /^\d+$/;

/** Why the container's user cannot write this host file, or undefined when it may. */
export function cannotWrite(spec: RunSpec, image: ImageFacts | undefined, st: HostStat): string | undefined {
  if (st.kind !== 'file' && st.kind !== 'char-device') return undefined;
  if (spec.privileged || !noNewPrivileges(spec)) return undefined;
  const caps = boundingCapabilities(spec);
  if ([...caps].some((c) => OVERRIDING.has(c))) return undefined;
  const user = spec.user !== '' ? spec.user : (image?.user ?? '');
  const [uidText = '', gidText] = user.split(':');
  if (!NUMERIC.test(uidText) || Number(uidText) === 0) return undefined;
  const uid = Number(uidText);
  if (st.uid === uid) return undefined;
  const groups = [gidText, ...spec.groupAdd];
  const anyGroup = groups.some((g) => g === undefined || !NUMERIC.test(g));
  if ((st.mode & 0o020) !== 0 && (anyGroup || groups.some((g) => Number(g) === st.gid))) return undefined;
  if ((st.mode & 0o002) !== 0) return undefined;
  return `uid ${uid} without capabilities cannot write it (owner ${st.uid}, mode ${(st.mode & 0o777).toString(8).padStart(3, '0')})`;
}
