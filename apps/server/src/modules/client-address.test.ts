import { describe, expect, test } from 'bun:test';
import { parseEnv } from '../env.ts';
import { clientAddress, clientAddresses } from './http-basics.ts';

/** A request that reached us from `peer` carrying `forwarded` as its X-Forwarded-For. */
function arrived(peer: string, forwarded?: string) {
  const request = new Request('http://localhost/', {
    headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded },
  });
  clientAddresses.set(request, peer);
  return request;
}

const trust = (value: string) => parseEnv({ TRUST_PROXY: value }).TRUST_PROXY;

describe('client address', () => {
  test('by default nobody is trusted: the socket address counts, whatever the header says', () => {
    expect(clientAddress(arrived('198.51.100.7', '203.0.113.9'), trust('false'))).toBe('198.51.100.7');
    expect(clientAddress(arrived('198.51.100.7', '203.0.113.9'), parseEnv({}).TRUST_PROXY)).toBe(
      '198.51.100.7',
    );
  });

  test('behind an appending proxy, a spoofed left-most hop is ignored', () => {
    // The client sent "X-Forwarded-For: 1.2.3.4"; our proxy (10.0.0.2) appended the address it saw.
    const spoofed = arrived('10.0.0.2', '1.2.3.4, 203.0.113.9');
    expect(clientAddress(spoofed, trust('10.0.0.2'))).toBe('203.0.113.9');
    expect(clientAddress(spoofed, trust('10.0.0.0/8'))).toBe('203.0.113.9');
    expect(clientAddress(spoofed, trust('1'))).toBe('203.0.113.9');
  });

  test('walks past every trusted proxy from the right, and no further', () => {
    // client → CDN edge (172.16.0.5) → load balancer (10.0.0.2) → us
    const request = arrived('10.0.0.2', '6.6.6.6, 203.0.113.9, 172.16.0.5');
    expect(clientAddress(request, trust('10.0.0.0/8, 172.16.0.0/12'))).toBe('203.0.113.9');
    expect(clientAddress(request, trust('2'))).toBe('203.0.113.9');
    // Trusting only the load balancer stops at the edge: a hop we do not trust is taken as the client.
    expect(clientAddress(request, trust('10.0.0.2'))).toBe('172.16.0.5');
  });

  test('a peer that is not a trusted proxy speaks for itself', () => {
    expect(clientAddress(arrived('203.0.113.50', '1.2.3.4'), trust('10.0.0.0/8'))).toBe('203.0.113.50');
  });

  test('more trusted hops than the header holds, or a hop that is not an address, stop the walk', () => {
    expect(clientAddress(arrived('10.0.0.2', '203.0.113.9'), trust('3'))).toBe('203.0.113.9');
    expect(clientAddress(arrived('10.0.0.2'), trust('1'))).toBe('10.0.0.2');
    expect(clientAddress(arrived('10.0.0.2', 'not-an-ip'), trust('10.0.0.2'))).toBe('10.0.0.2');
  });

  test('IPv6 proxies and IPv4-mapped addresses match', () => {
    expect(clientAddress(arrived('::1', '2001:db8::7'), trust('127.0.0.1, ::1'))).toBe('2001:db8::7');
    expect(clientAddress(arrived('::ffff:10.0.0.2', '203.0.113.9'), trust('10.0.0.0/8'))).toBe('203.0.113.9');
  });

  test('TRUST_PROXY=true and malformed entries stop start-up with a sentence', () => {
    expect(() => trust('true')).toThrow('true would let any client choose its own address');
    expect(() => trust('10.0.0.0/33')).toThrow('"10.0.0.0/33" is not an IP address or CIDR range');
    expect(() => trust('10.0.0.0/')).toThrow('is not an IP address or CIDR range');
    expect(() => trust('proxy.internal')).toThrow('is not an IP address or CIDR range');
    expect(() => trust('11')).toThrow('at most 10 proxies');
  });
});
