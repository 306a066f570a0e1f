// Where a webhook may be sent. A URL the backend gives us is called from inside our network, so
// loopback, private, link-local, unspecified and other special addresses are refused (SSRF: the cloud
// metadata service at 169.254.169.254, the database ports on localhost…) unless the operator allows
// private targets (WXPUSH_WEBHOOK_ALLOW_PRIVATE; on by default in dev mode, whose backend is local).
// Checked when the URL is set and again on every delivery after DNS resolution, since a name can
// change address between the two.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import { BlockList, isIP } from 'node:net'
import { webhookUrlInvalid, webhookUrlRefused } from './webhooks.errors.ts'

// Two lists: a BlockList checks an IPv4 address against IPv6 rules too (as ::ffff:a.b.c.d), and
// the IPv6 list refuses the whole IPv4-mapped range.
const SPECIAL_V4 = new BlockList()
const SPECIAL_V6 = new BlockList()
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  SPECIAL_V4.addSubnet(net, prefix, 'ipv4')
for (const [net, prefix] of [
  ['::', 96], // unspecified, loopback, IPv4-compatible
  ['::ffff:0:0', 96], // IPv4-mapped: would reach any IPv4 address, private ones included
  ['64:ff9b::', 96], // NAT64
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const)
  SPECIAL_V6.addSubnet(net, prefix, 'ipv6')

/** True for an address a webhook may not reach unless private targets are allowed. */
export function isSpecialAddress(address: string): boolean {
  const family = isIP(address)
  if (family === 0) return true
  return family === 4 ? SPECIAL_V4.check(address, 'ipv4') : SPECIAL_V6.check(address, 'ipv6')
}

/**
 * Parses a webhook URL: http(s), a host, no user:password (it would be sent in the clear and hides
 * the host from a reader: `http://trusted@10.0.0.1/`). WHATWG parsing turns 0x7f000001 and
 * 2130706433 into 127.0.0.1, so the address checks below see the real address.
 */
export function parseWebhookUrl(raw: string): URL {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw webhookUrlInvalid({ field: 'url', rule: 'url' })
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw webhookUrlInvalid({ field: 'url', rule: 'http_or_https' })
  if (url.hostname === '') throw webhookUrlInvalid({ field: 'url', rule: 'host' })
  if (url.username !== '' || url.password !== '')
    throw webhookUrlInvalid({ field: 'url', rule: 'no_userinfo' })
  return url
}

/** The checks that need no DNS: an address literal, or a name that is loopback by definition. */
export function checkWebhookUrl(raw: string, allowPrivate: boolean): URL {
  const url = parseWebhookUrl(raw)
  if (allowPrivate) return url
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase()
  if (isIP(host) !== 0) {
    if (isSpecialAddress(host)) throw webhookUrlRefused({ host, rule: 'private_address' })
  } else if (/(^|\.)localhost\.?$/.test(host)) {
    throw webhookUrlRefused({ host, rule: 'private_address' })
  }
  return url
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void

/**
 * A `lookup` for the HTTP client's connections: resolves the name, then refuses the connection when
 * any address it got is special (a name with one public and one private address is refused whole).
 */
export function guardedLookup(
  hostname: string,
  options: { all?: boolean; family?: number | string },
  callback: LookupCallback,
): void {
  dnsLookup(hostname, { ...options, all: true } as { all: true }, (err, addresses) => {
    if (err) return callback(err, [])
    const bad = addresses.find((a) => isSpecialAddress(a.address))
    if (bad) {
      const refused = Object.assign(new Error(`webhook host ${hostname} resolves to a private address`), {
        code: 'EWXPUSH_PRIVATE_ADDRESS',
      })
      return callback(refused, [])
    }
    if (options.all) return callback(null, addresses)
    const first = addresses[0]!
    return callback(null, first.address, first.family)
  })
}
