/**
 * docker's parseNetworkOpts: the --network entries and the container-wide network flags become
 * HostConfig.NetworkMode and the endpoint settings of NetworkingConfig. Run by toSpec for docker's
 * errors (before any request) and by toCreateBody for the body.
 */
import { usageError } from '../grammar/usage-errors.js';
import { isGoMac } from '../grammar/go-ip.js';
import {
  blankAttachment,
  isUserDefinedNetwork,
  versionLess,
  type ContainerNetworkOptions,
  type NetworkAttachment,
} from '../grammar/network.js';
import type { EndpointIpamConfig, EndpointSettings } from '../api/create-body.js';
import { zeroEndpointSettings } from './baseline-body.js';

export interface NetworkResult {
  networkMode: string;
  endpoints: Record<string, EndpointSettings>;
}

function endpointFor(n: NetworkAttachment): EndpointSettings {
  if (n.target.trim() === '') throw usageError('no name set for network');
  if (!isUserDefinedNetwork(n.target)) {
    if (n.aliases.length > 0) throw usageError('network-scoped aliases are only supported for user-defined networks');
    if ((n.links ?? []).length > 0) throw usageError('links are only supported for user-defined networks');
  }
  const ep = zeroEndpointSettings();
  if (n.aliases.length > 0) ep.Aliases = [...n.aliases];
  if (n.driverOpts !== undefined) ep.DriverOpts = n.driverOpts;
  if ((n.links ?? []).length > 0) ep.Links = [...(n.links ?? [])];
  if (n.ipv4 !== '' || n.ipv6 !== '' || n.linkLocalIps.length > 0) {
    const ipam: EndpointIpamConfig = {};
    if (n.ipv4 !== '') ipam.IPv4Address = n.ipv4;
    if (n.ipv6 !== '') ipam.IPv6Address = n.ipv6;
    if (n.linkLocalIps.length > 0) ipam.LinkLocalIPs = [...n.linkLocalIps];
    ep.IPAMConfig = ipam;
  }
  if (n.macAddress !== '') {
    if (!isGoMac(n.macAddress.trim())) throw usageError(`${n.macAddress} is not a valid mac address`);
    ep.MacAddress = n.macAddress;
  }
  ep.GwPriority = n.gwPriority;
  return ep;
}

function isZeroEndpoint(n: NetworkAttachment): boolean {
  return (
    n.aliases.length === 0 &&
    n.ipv4 === '' &&
    n.ipv6 === '' &&
    n.macAddress === '' &&
    n.linkLocalIps.length === 0 &&
    n.driverOpts === undefined &&
    (n.links ?? []).length === 0 &&
    n.gwPriority === 0
  );
}

/** applyContainerOptions: the container-wide flags land on the first network, conflicts refused. */
function applyContainerOptions(n: NetworkAttachment, o: ContainerNetworkOptions): NetworkAttachment {
  if (n.aliases.length > 0 && o.aliases.length > 0) {
    throw usageError('conflicting options: cannot specify both --network-alias and per-network alias');
  }
  if (n.ipv4 !== '' && o.ipv4 !== '')
    throw usageError('conflicting options: cannot specify both --ip and per-network IPv4 address');
  if (n.ipv6 !== '' && o.ipv6 !== '')
    throw usageError('conflicting options: cannot specify both --ip6 and per-network IPv6 address');
  if (n.macAddress !== '' && o.macAddress !== '') {
    throw usageError('conflicting options: cannot specify both --mac-address and per-network MAC address');
  }
  if (n.linkLocalIps.length > 0 && o.linkLocalIps.length > 0) {
    throw usageError(
      'conflicting options: cannot specify both --link-local-ip and per-network link-local IP addresses',
    );
  }
  const out: NetworkAttachment = { ...n };
  if (o.aliases.length > 0) out.aliases = [...o.aliases];
  // On a user-defined network --link is an endpoint option; on the default bridge a legacy link.
  if (isUserDefinedNetwork(n.target) && o.links.length > 0) out.links = [...o.links];
  if (o.ipv4 !== '') out.ipv4 = o.ipv4;
  if (o.ipv6 !== '') out.ipv6 = o.ipv6;
  if (o.macAddress !== '') out.macAddress = o.macAddress;
  if (o.linkLocalIps.length > 0) out.linkLocalIps = [...o.linkLocalIps];
  return out;
}

/**
 * docker's parseNetworkOpts: NetworkMode is the first network (or "default"); the container-wide
 * flags apply to the first network; a lone network without options sends no endpoint settings.
 */
export function buildNetworks(networks: readonly NetworkAttachment[], options: ContainerNetworkOptions): NetworkResult {
  const endpoints: Record<string, EndpointSettings> = {};
  if (networks.length === 0) {
    endpoints.default = endpointFor(applyContainerOptions({ ...blankAttachment(), target: 'default' }, options));
    return { networkMode: 'default', endpoints };
  }
  let userDefined = false;
  let other = false;
  // A loop rather than forEach, so the compiler sees the flags set before they are read below.
  for (const [i, raw] of networks.entries()) {
    if (isUserDefinedNetwork(raw.target)) userDefined = true;
    else other = true;
    const n = i === 0 ? applyContainerOptions(raw, options) : raw;
    const ep = endpointFor(n);
    if (Object.hasOwn(endpoints, n.target)) throw usageError(`network "${n.target}" is specified multiple times`);
    if (i === 0 && networks.length === 1 && isZeroEndpoint(n)) continue;
    endpoints[n.target] = ep;
  }
  if (userDefined && other) {
    throw usageError('conflicting options: cannot attach both user-defined and non-user-defined network-modes');
  }
  return { networkMode: networks[0]?.target ?? 'default', endpoints };
}

/** The moby client refuses endpoint MAC addresses below API 1.44 ("specify mac-address per network"). */
export function checkEndpointMacGate(endpoints: Record<string, EndpointSettings>, apiVersion: string): void {
  const hasMac = Object.values(endpoints).some((ep) => typeof ep.MacAddress === 'string' && ep.MacAddress !== '');
  if (hasMac && versionLess(apiVersion, '1.44')) {
    throw usageError(
      `"specify mac-address per network" requires API version 1.44, but the Docker daemon API version is ${apiVersion}`,
    );
  }
}
