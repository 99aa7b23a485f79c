import { acceptedLanguages, chooseLanguage } from '../../server/src/c15t/init';
import { readCountry, readRegion } from '../../server/src/regions';
import { describeIssues, getSubjectQuery, initQuery, patchSubjectBody, postSubjectBody, subjectParams } from '../../server/src/contract/c15t';
import { CookieObservationInput } from '../../server/src/contract/schemas';
import { globMatches, nameMatcher } from '../../server/src/discovery/match';
import { isObservedName, isPagePath } from '../../server/src/discovery/names';
import { cookieDatabase } from '../../server/src/discovery/open-cookie-database';

/**
 * An attacker's inputs against the pure halves of cookie discovery and c15t: 100,000-character
 * runs of what each pattern or loop is slowest on (ReDoS, quadratic scans), and paths that hold
 * personal data. A backtracking pattern takes seconds to hours on these; a linear one, well under
 * a millisecond per call.
 */
const N = 100_000;
const RUNS: Record<string, string> = {
  letters: 'a'.repeat(N),
  digits: '1'.repeat(N),
  slashes: '/'.repeat(N),
  dots: '.'.repeat(N),
  ats: '@'.repeat(N),
  atDots: 'a@'.repeat(N / 2),
  percent40: '%40'.repeat(N / 3),
  spaces: ' '.repeat(N),
  tabs: '\t'.repeat(N),
  nbsp: '\u00a0'.repeat(N),
  zeroWidth: '\u200b'.repeat(N),
  stars: '*'.repeat(N),
  dashes: 'a-'.repeat(N / 2),
  semicolons: 'en;q=1;'.repeat(N / 7),
  commas: 'en-GB-x,'.repeat(N / 8),
  controls: '\u0000\u001f'.repeat(N / 2),
  sub: `sub_${'A'.repeat(N)}!`,
  brackets: `[${'0:'.repeat(N / 2)}`,
};

/** Milliseconds of one call. */
const timed = (call: () => unknown) => {
  const start = performance.now();
  call();
  return performance.now() - start;
};
// Quadratic work on 100,000 characters takes seconds; a loaded 2-core machine stays well under this.
const LIMIT_MS = 500;

// Read and indexed once, on first use (about 300 ms): not a cost of one lookup.
beforeAll(() => cookieDatabase());

describe('no pattern or loop of the discovery and c15t inputs is slower than linear', () => {
  for (const [label, run] of Object.entries(RUNS)) {
    it(`on a 100,000-character run of ${label}`, () => {
      const variants = [run, `/${run}`, `/${run}!`, `${run}\u0000`, `/x/${run}/y?`];
      for (const input of variants) {
        const times: Record<string, number> = {
          isPagePath: timed(() => isPagePath(input)),
          isObservedName: timed(() => isObservedName(input)),
          globMatchesStars: timed(() => globMatches(input.slice(0, 2000).replace(/[^*]/g, '*a'), input)),
          nameMatcher: timed(() => nameMatcher([{ name: `${'*a'.repeat(100)}*` }, { name: 'x' }])(input)),
          openCookieDatabase: timed(() => cookieDatabase().lookup(input)),
          acceptedLanguages: timed(() => acceptedLanguages(input)),
          chooseLanguage: timed(() => chooseLanguage([input, input], ['en', 'fi'], ['en', 'de'], 'en')),
          readCountry: timed(() => readCountry(input)),
          readRegion: timed(() => readRegion(input)),
          subjectId: timed(() => subjectParams.safeParse({ id: input })),
          initQuery: timed(() => initQuery.safeParse({ lang: input })),
          getSubjectQuery: timed(() => getSubjectQuery.safeParse({ type: input })),
          patchSubjectBody: timed(() => patchSubjectBody.safeParse({ externalId: input, identityProvider: input })),
          postSubjectBody: timed(() => {
            const parsed = postSubjectBody.safeParse({ type: 'cookie_banner', subjectId: input, domain: input, uiSource: input, externalSubjectId: input, preferences: { [input]: true }, givenAt: 1, [input]: 1 });
            if (!parsed.success) describeIssues(parsed.error);
          }),
          observation: timed(() => CookieObservationInput.safeParse({ revision: 1, path: input, granted: [input], cookie: [input], localStorage: [input] })),
        };
        const slow = Object.entries(times).filter(([, ms]) => ms > LIMIT_MS);
        expect({ label, length: input.length, slow }).toEqual({ label, length: input.length, slow: [] });
      }
    });
  }
});

describe('a page path holding personal data is refused', () => {
  it('an e-mail address or a token in any segment; ordinary paths still pass', () => {
    for (const p of ['/users/jane.doe@example.com', '/u/jane@example.fi/settings', '/unsubscribe/jane%40example.com', '/unsubscribe/JANE%40EXAMPLE.COM', `/reset/${'0123456789abcdef'.repeat(4)}`, `/t/${'Ab1+'.repeat(10)}`]) {
      expect([p, isPagePath(p)]).toEqual([p, false]);
    }
    for (const p of ['/', '/@rowing-club', '/@rowing-club/posts', '/mail@', '/docs/getting/started/installation/linux/debian/bookworm/amd64', '/blog/how-to-configure-your-strapi-plugin-for-production-use', '/orders/123e4567-e89b-12d3-a456-426614174000', '/v1.2/a@b', '/x;y=1']) {
      expect([p, isPagePath(p)]).toEqual([p, true]);
    }
  });
});
