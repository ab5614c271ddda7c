import { usageError } from './usage-errors.js';

const validContainer = (v: string): boolean => v.startsWith('container:') && v.length > 'container:'.length;

/** docker's client-side namespace mode checks (PidMode.Valid and friends); --ipc is not checked. */
export function validateNamespaceModes(modes: { pid: string; uts: string; userns: string; cgroupns: string }): void {
  if (!(modes.pid === '' || modes.pid === 'host' || validContainer(modes.pid)))
    throw usageError('--pid: invalid PID mode');
  if (!(modes.uts === '' || modes.uts === 'host')) throw usageError('--uts: invalid UTS mode');
  if (!(modes.userns === '' || modes.userns === 'host')) throw usageError('--userns: invalid USER mode');
  if (!['', 'host', 'private'].includes(modes.cgroupns)) throw usageError('--cgroupns: invalid CGROUP mode');
}
