import { isAddrSpec, mailtoAddress } from '../../server/src/newsletter/email';
import { addressRef, redactAddresses } from '../../server/src/services/audit';

const hashOf = (email: string) => `h-${email}`.padEnd(20, '0');

describe('isAddrSpec: a bare address, nothing around it', () => {
  it.each(['dpo@example.fi', 'leave+news@northwind.example', 'Anna.Virtanen@example.fi'])('accepts %j', (value) => {
    expect(isAddrSpec(value)).toBe(true);
  });
  it.each([
    'x@evil.example>,<https://evil.example/u',
    'Name <x@example.com>',
    'x@example.com, y@example.com',
    'x@example.com;y@example.com',
    '"x y"@example.com',
    ' x@example.com',
    'x@example.com ',
    'x@example.com\nBcc: y@example.com',
    'x\u0007@example.com',
    'x@example',
    '',
    42,
  ])('refuses %j', (value) => {
    expect(isAddrSpec(value)).toBe(false);
  });
  it('percent-encodes what would start a mailto URI header field or fragment', () => {
    expect(mailtoAddress('a?b#c&d@example.com')).toBe('a%3Fb%23c%26d@example.com');
    expect(mailtoAddress('leave+news@example.com')).toBe('leave+news@example.com');
  });
});

describe('redactAddresses', () => {
  it('replaces every address in strings and keys, at any depth, and leaves the rest', () => {
    const details = { filters: { q: 'Victim@Example.COM', list: 'default' }, notes: ['mail to <a@b.example>, please', 7, null], 'c@d.example': true };
    expect(redactAddresses(details, hashOf)).toEqual({
      filters: { q: addressRef(hashOf('Victim@example.com')), list: 'default' },
      notes: [`mail to <${addressRef(hashOf('a@b.example'))}>, please`, 7, null],
      [addressRef(hashOf('c@d.example'))]: true,
    });
  });
  it('replaces a fragment with an @ that is no address by [address]', () => {
    expect(redactAddresses({ q: 'victim@' }, hashOf)).toEqual({ q: '[address]' });
    expect(JSON.stringify(redactAddresses({ q: 'q=victim@example.com&x' }, hashOf))).not.toContain('victim');
  });
});
