import fc from 'fast-check';
import { truncateIp } from '../../server/src/ip';

const runs = { numRuns: Number(process.env.FC_RUNS || 400) };

/** The 128 bits of a full IPv6 address written as eight groups. */
const ipv6Bits = (groups: number[]) => groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
/** Eight groups of an IPv6 address in the form ipaddr.js writes (RFC 5952), parsed back by hand. */
function groupsOf(text: string): number[] {
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':').map((g) => parseInt(g, 16)) : [];
  const right = tail === undefined ? [] : tail ? tail.split(':').map((g) => parseInt(g, 16)) : [];
  return tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill(0), ...right];
}

describe('truncateIp: IPv4', () => {
  it('keeps the /24 network by default', () => {
    expect(truncateIp('203.0.113.9', 24, 48)).toBe('203.0.113.0/24');
    expect(truncateIp('198.51.100.255', 24, 48)).toBe('198.51.100.0/24');
    expect(truncateIp('10.0.0.0', 24, 48)).toBe('10.0.0.0/24');
    expect(truncateIp('255.255.255.255', 24, 48)).toBe('255.255.255.0/24');
    expect(truncateIp('127.0.0.1', 24, 48)).toBe('127.0.0.0/24');
  });

  it('keeps other prefix lengths, inside an octet too', () => {
    expect(truncateIp('203.0.113.9', 16, 48)).toBe('203.0.0.0/16');
    expect(truncateIp('203.0.113.9', 8, 48)).toBe('203.0.0.0/8');
    expect(truncateIp('203.0.113.9', 0, 48)).toBe('0.0.0.0/0');
    expect(truncateIp('10.1.18.3', 20, 48)).toBe('10.1.16.0/20');
    expect(truncateIp('10.1.255.3', 23, 48)).toBe('10.1.254.0/23');
    expect(truncateIp('172.31.200.1', 12, 48)).toBe('172.16.0.0/12');
    expect(truncateIp('203.0.113.9', 32, 48)).toBe('203.0.113.9/32');
  });

  it('uses the IPv4 length for IPv4 and the IPv6 length for IPv6', () => {
    expect(truncateIp('203.0.113.9', 16, 32)).toBe('203.0.0.0/16');
    expect(truncateIp('2001:db8:1234:5678::1', 16, 32)).toBe('2001:db8::/32');
  });
});

describe('truncateIp: IPv6', () => {
  it('keeps the /48 network by default, written compactly', () => {
    expect(truncateIp('2001:db8:12:34::1', 24, 48)).toBe('2001:db8:12::/48');
    expect(truncateIp('2001:0db8:0012:ffff:ffff:ffff:ffff:ffff', 24, 48)).toBe('2001:db8:12::/48');
    expect(truncateIp('2001:DB8:12:34:AB:CD:EF:1', 24, 48)).toBe('2001:db8:12::/48');
    expect(truncateIp('::1', 24, 48)).toBe('::/48');
    expect(truncateIp('::', 24, 48)).toBe('::/48');
  });

  it('keeps other prefix lengths', () => {
    expect(truncateIp('2001:db8:12:3456::1', 24, 56)).toBe('2001:db8:12:3400::/56');
    expect(truncateIp('2001:db8:12:3456:1:2:3:4', 24, 64)).toBe('2001:db8:12:3456::/64');
    expect(truncateIp('2001:db8:12:3456::1', 24, 0)).toBe('::/0');
    expect(truncateIp('2001:db8:ffff::1', 24, 36)).toBe('2001:db8:f000::/36');
  });

  it('counts IPv4-mapped IPv6 addresses (a dual-stack socket) as IPv4', () => {
    expect(truncateIp('::ffff:203.0.113.9', 24, 48)).toBe('203.0.113.0/24');
    expect(truncateIp('::FFFF:203.0.113.9', 24, 48)).toBe('203.0.113.0/24');
    expect(truncateIp('::ffff:cb00:7109', 24, 48)).toBe('203.0.113.0/24');
    expect(truncateIp('0:0:0:0:0:ffff:203.0.113.9', 16, 48)).toBe('203.0.0.0/16');
  });

  it('drops a zone', () => {
    expect(truncateIp('fe80::1%eth0', 24, 48)).toBe('fe80::/48');
    expect(truncateIp('fe80::1234:5678%25', 24, 64)).toBe('fe80::/64');
    expect(truncateIp('::ffff:203.0.113.9%en0', 24, 48)).toBe('203.0.113.0/24');
    const zone = 'z'.repeat(64 - 'fe80::1%'.length);
    expect(truncateIp(`fe80::1%${zone}`, 24, 48)).toBe('fe80::/48'); // 64 characters in all
  });
});

describe('truncateIp: not an address', () => {
  it.each([
    '',
    'not an ip',
    'localhost',
    'example.com',
    '1.2.3.4.5',
    '256.1.1.1',
    '1.2.3.-4',
    ' 203.0.113.9',
    '203.0.113.9 ',
    '203.0.113.9\n',
    '203.0.113.9/24',
    '203.0.113.9:8080',
    '[2001:db8::1]',
    '[2001:db8::1]:443',
    '2001:db8::g',
    ':::',
    '1:2:3:4:5:6:7:8:9',
    '2001:db8::1::2',
    '%eth0',
    '::ffff:999.0.113.9',
    '203.0.113.9, 198.51.100.1',
  ])('refuses %j', (raw) => {
    expect(truncateIp(raw, 24, 48)).toBeNull();
  });

  it('refuses values that are not strings', () => {
    for (const raw of [undefined, null, 3405803785, ['203.0.113.9'], { ip: '203.0.113.9' }, Buffer.from('203.0.113.9'), true]) {
      expect(truncateIp(raw, 24, 48)).toBeNull();
    }
  });

  it('refuses strings over 64 characters, even with an address in them', () => {
    const zone = 'z'.repeat(65 - 'fe80::1%'.length);
    expect(truncateIp(`fe80::1%${zone}`, 24, 48)).toBeNull();
    expect(truncateIp(`203.0.113.9${' '.repeat(60)}`, 24, 48)).toBeNull();
    expect(truncateIp('1'.repeat(10_000), 24, 48)).toBeNull();
    expect(truncateIp(`${'0'.repeat(60)}:0::1`, 24, 48)).toBeNull();
  });

  it('never throws, whatever the text (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 80 }), fc.stringMatching(/^[0-9a-fA-F:.%x]{0,70}$/), fc.ipV4Extended(), fc.ipV6()), fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 64 }), (raw, v4, v6) => {
        const result = truncateIp(raw, v4, v6);
        if (result !== null) expect(result).toMatch(new RegExp(`^(?:[0-9.]+/${v4}|[0-9a-f:]+/${v6})$`));
      }),
      runs
    );
  });
});

describe('truncateIp: never keeps the host part (properties)', () => {
  const octet = fc.integer({ min: 0, max: 255 });

  it('an IPv4 address at /24 keeps its first three octets and ends in .0', () => {
    fc.assert(
      fc.property(octet, octet, octet, octet, (a, b, c, d) => {
        expect(truncateIp(`${a}.${b}.${c}.${d}`, 24, 48)).toBe(`${a}.${b}.${c}.0/24`);
        expect(truncateIp(`::ffff:${a}.${b}.${c}.${d}`, 24, 48)).toBe(`${a}.${b}.${c}.0/24`);
      }),
      runs
    );
  });

  it('an IPv4 address at any prefix length keeps exactly the network bits', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 0, max: 32 }), (raw, bits) => {
        const value = raw.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
        const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
        const network = (value & mask) >>> 0;
        const expected = [24, 16, 8, 0].map((shift) => (network >>> shift) & 255).join('.');
        expect(truncateIp(raw, bits, 48)).toBe(`${expected}/${bits}`);
      }),
      runs
    );
  });

  it('an IPv6 address at any prefix length keeps exactly the network bits', () => {
    const group = fc.integer({ min: 0, max: 0xffff });
    fc.assert(
      fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), fc.integer({ min: 0, max: 128 }), fc.boolean(), (groups, bits, zone) => {
        // not an IPv4-mapped address (those count as IPv4, tested above)
        fc.pre(!(groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff));
        const raw = groups.map((g) => g.toString(16)).join(':') + (zone ? '%eth0' : '');
        const result = truncateIp(raw, 24, bits);
        expect(result).not.toBeNull();
        const [address, length] = result!.split('/');
        expect(length).toBe(String(bits));
        const hostMask = (1n << BigInt(128 - bits)) - 1n;
        expect(ipv6Bits(groupsOf(address))).toBe(ipv6Bits(groups) & ~hostMask);
      }),
      runs
    );
  });

  it('at /48 an IPv6 address keeps its first three groups only', () => {
    fc.assert(
      fc.property(fc.ipV6(), (raw) => {
        const result = truncateIp(raw, 24, 48);
        expect(result).not.toBeNull();
        if (result!.includes('.') || !result!.endsWith('/48')) {
          // fc.ipV6 can write IPv4-mapped addresses; those are IPv4 networks
          expect(result).toMatch(/^\d+\.\d+\.\d+\.0\/24$/);
          return;
        }
        expect(groupsOf(result!.slice(0, -3)).slice(3)).toEqual([0, 0, 0, 0, 0]);
      }),
      runs
    );
  });
});
