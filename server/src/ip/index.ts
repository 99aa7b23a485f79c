// IP truncation: the one place a visitor's address is seen. Only its network prefix is kept
// (the raw address is never stored or logged), parsed with ipaddr.js.
import ipaddr from 'ipaddr.js';

/**
 * The network an address belongs to, as `203.0.113.0/24` or `2001:db8:12::/48`; null for
 * anything that is not an IP address. IPv4-mapped IPv6 addresses (`::ffff:203.0.113.9`, as Node
 * reports IPv4 clients on a dual-stack socket) count as IPv4; an IPv6 zone (`%eth0`) is dropped.
 */
export function truncateIp(raw: unknown, ipv4PrefixLength: number, ipv6PrefixLength: number): string | null {
  if (typeof raw !== 'string' || raw.length > 64) return null;
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.process(raw.split('%')[0]); // throws for anything that is not an address
  } catch {
    return null;
  }
  // Parsed once (this runs on every consent): the network is the address's bytes under the mask.
  const ipv4 = parsed.kind() === 'ipv4';
  const bits = ipv4 ? ipv4PrefixLength : ipv6PrefixLength;
  const mask = (ipv4 ? ipaddr.IPv4 : ipaddr.IPv6).subnetMaskFromPrefixLength(bits).toByteArray();
  const network = ipaddr.fromByteArray(parsed.toByteArray().map((byte, i) => byte & mask[i]));
  return `${network.toString()}/${bits}`;
}
