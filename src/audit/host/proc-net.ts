/** A TCP socket in the LISTEN state, from /proc/PID/net/tcp or tcp6. */
export interface TcpListener {
  /** The local address as text: 0.0.0.0, 127.0.0.1, ::, ::1, … */
  address: string;
  port: number;
  inode: number;
}

const LISTEN = '0A';

/** /proc/net/tcp writes an IPv4 address as 8 hex digits in host byte order (little-endian here). */
function ipv4(hex: string): string {
  const bytes = [0, 2, 4, 6].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return bytes.reverse().join('.');
}

/** And IPv6 as four 32-bit words, each in host byte order. */
function ipv6(hex: string): string {
  const groups: string[] = [];
  for (let w = 0; w < 4; w++) {
    const word = hex.slice(w * 8, w * 8 + 8);
    const bytes = [6, 4, 2, 0].map((i) => word.slice(i, i + 2)).join('');
    groups.push(bytes.slice(0, 4), bytes.slice(4, 8));
  }
  const text = groups.map((g) => parseInt(g, 16).toString(16)).join(':');
  if (text === '0:0:0:0:0:0:0:0') return '::';
  if (text === '0:0:0:0:0:0:0:1') return '::1';
  const mapped = /^0:0:0:0:0:ffff:([0-9a-f]+):([0-9a-f]+)$/.exec(text);
  if (mapped?.[1] !== undefined && mapped[2] !== undefined) {
    const hi = parseInt(mapped[1], 16);
    const lo = parseInt(mapped[2], 16);
    return `::ffff:${[hi >> 8, hi & 255, lo >> 8, lo & 255].join('.')}`;
  }
  return text;
}

/** The listening sockets of /proc/PID/net/tcp (IPv4) or tcp6 (IPv6). */
export function parseTcpListeners(text: string): TcpListener[] {
  const out: TcpListener[] = [];
  for (const line of text.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    const [, local, , state] = cols;
    const inode = Number(cols[9]);
    if (local === undefined || state !== LISTEN || !Number.isInteger(inode)) continue;
    const [addr, port] = local.split(':');
    if (addr === undefined || port === undefined) continue;
    const address = addr.length === 8 ? ipv4(addr) : addr.length === 32 ? ipv6(addr) : undefined;
    if (address !== undefined) out.push({ address, port: parseInt(port, 16), inode });
  }
  return out;
}

/** A listening unix socket bound to a path, from /proc/net/unix. */
export interface UnixListener {
  path: string;
  inode: number;
}

/** __SO_ACCEPTCON: the socket listens. */
const ACCEPTING = 0x10000;

export function parseUnixListeners(text: string): UnixListener[] {
  const out: UnixListener[] = [];
  for (const line of text.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    const flags = parseInt(cols[3] ?? '', 16);
    const inode = Number(cols[6]);
    const path = cols.slice(7).join(' ');
    if (!Number.isInteger(inode) || path === '' || path.startsWith('@') || (flags & ACCEPTING) === 0) continue;
    out.push({ path, inode });
  }
  return out;
}

/** The inode of a socket file descriptor's link (`socket:[12345]`), or undefined for anything else. */
export function socketInode(link: string): number | undefined {
  const m = /^socket:\[(\d+)\]$/.exec(link);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}
