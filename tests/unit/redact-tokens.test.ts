import fc from 'fast-check';
import { REDACTED, redactTokens } from '../../server/src/middlewares/redact-tokens';

describe('redactTokens: the URL a request log may show', () => {
  it.each([
    ['/api/privacy-centre/newsletter/confirm?token=abc.def', '/api/privacy-centre/newsletter/confirm?token=[redacted]'],
    ['/api/privacy-centre/newsletter/unsubscribe?token=abc.def&lang=fi', '/api/privacy-centre/newsletter/unsubscribe?token=[redacted]&lang=fi'],
    ['/api/privacy-centre/requests/confirm?x=1&token=a&token=b', '/api/privacy-centre/requests/confirm?x=1&token=[redacted]&token=[redacted]'],
    ['/v2/Privacy-Centre/NEWSLETTER/confirm?Token=abc', '/v2/Privacy-Centre/NEWSLETTER/confirm?Token=[redacted]'],
    ['/api/privacy-centre/newsletter/confirm?%74oken=abc', '/api/privacy-centre/newsletter/confirm?%74oken=[redacted]'],
    ['/api/privacy-centre/newsletter/confirm?token[]=abc', '/api/privacy-centre/newsletter/confirm?token[]=[redacted]'],
    ['/api/privacy-centre/newsletter/confirm?token%5B0%5D=abc', '/api/privacy-centre/newsletter/confirm?token%5B0%5D=[redacted]'],
    ['/api/privacy-centre/newsletter/confirm?%ZZ=1&token=abc', '/api/privacy-centre/newsletter/confirm?%ZZ=1&token=[redacted]'],
    ['http://cms.example/api/privacy-centre/newsletter/confirm?token=abc', 'http://cms.example/api/privacy-centre/newsletter/confirm?token=[redacted]'],
    ['/privacy-centre/anything?token=abc', '/privacy-centre/anything?token=[redacted]'],
  ])('%s', (url, logged) => {
    expect(redactTokens(url)).toBe(logged);
  });

  it.each([
    '/api/privacy-centre/newsletter/confirm',
    '/api/privacy-centre/policies/privacy-policy/current?locale=fi',
    '/api/privacy-centre/newsletter/confirm?token',
    '/api/other/route?token=abc', // not the plugin's: the app's own URLs are left alone
    '/api/privacy-centre-x/y?token=abc',
  ])('leaves %s as it is', (url) => {
    expect(redactTokens(url)).toBe(url);
  });

  it('no token value survives, whatever the rest of the query holds', () => {
    const safe = fc.stringMatching(/^[A-Za-z0-9_.-]{16,40}$/);
    const noise = fc.array(fc.tuple(fc.stringMatching(/^[a-z]{1,6}$/), fc.stringMatching(/^[A-Za-z0-9%+]{0,8}$/)), { maxLength: 4 });
    fc.assert(
      fc.property(safe, noise, noise, (token, before, after) => {
        const pairs = [...before, ['token', token], ...after].map(([k, v]) => `${k}=${v}`);
        const logged = redactTokens(`/api/privacy-centre/newsletter/unsubscribe?${pairs.join('&')}`);
        return !logged.includes(token) && logged.includes(`token=${REDACTED}`);
      })
    );
  });
});
