/**
 * `-p` specs that name no host address publish on every interface. Hardened presets bind them
 * to one address instead (127.0.0.1): this rewrites a spec to carry it. A spec that names an
 * address, 0.0.0.0 and [::] included, is the user's explicit choice and is left alone.
 *
 * docker 28 ignores `host-ip` in the long form (`published=…,target=…`), so a long spec is
 * rewritten to the short form, which carries the address.
 */
export function publishOn(spec: string, address: string): string {
  if (spec.includes('=')) return longToShort(spec, address);
  const parts = splitOutsideBrackets(spec);
  switch (parts.length) {
    case 1:
      return `${address}::${spec}`;
    case 2:
      return `${address}:${spec}`;
    default:
      // ip:host:container; an empty ip ("::80", ":8080:80") means all interfaces, as no ip does.
      return hostIp(parts) === '' ? `${address}${spec}` : spec;
  }
}

/**
 * The ip part as docker splits a spec: the last two fields are the host and container ports,
 * everything before them is the ip, so an unbracketed IPv6 address ("::1:8080:80") stays whole.
 */
function hostIp(parts: readonly string[]): string {
  return parts.slice(0, -2).join(':');
}

/** Whether the spec names a host address of its own. */
export function namesAddress(spec: string): boolean {
  if (spec.includes('=')) return /(^|,)\s*host-ip\s*=\s*\S/.test(spec);
  const parts = splitOutsideBrackets(spec);
  return parts.length >= 3 && hostIp(parts) !== '';
}

function splitOutsideBrackets(spec: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of spec) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (ch === ':' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

function longToShort(spec: string, address: string): string {
  const fields = new Map<string, string>();
  for (const field of spec.split(',')) {
    const at = field.indexOf('=');
    if (at > 0) fields.set(field.slice(0, at).trim().toLowerCase(), field.slice(at + 1).trim());
  }
  const target = fields.get('target');
  if (!target) return spec; // not a spec docker accepts either; leave it for docker's own error
  const published = fields.get('published') ?? '';
  const protocol = fields.get('protocol');
  // An explicit host-ip is the user's choice, even though docker itself would ignore it.
  const hostIp = fields.get('host-ip');
  const ip = hostIp ? (hostIp.includes(':') && !hostIp.startsWith('[') ? `[${hostIp}]` : hostIp) : address;
  return `${ip}:${published}:${target}${protocol ? `/${protocol}` : ''}`;
}
