import fc from 'fast-check';
import { buildSnapshot, consentModeOf, diffSnapshots, publicDeclaration } from '../../server/src/cookies/snapshot';
import { CONSENT_MODE_SIGNALS } from '../../server/src/cookies/types';
import type { ConsentModeSignal, CookieCategory, CookieDefinition, DeclarationSnapshot } from '../../server/src/cookies/types';
import { canonicalJson } from '../../server/src/policy/canonical';

const runs = { numRuns: Number(process.env.FC_RUNS || 400) };

const category = (key: string, position: number, extra: Partial<CookieCategory> = {}): CookieCategory => ({
  key,
  required: false,
  position,
  consentMode: [],
  refusedUnderGpc: false,
  locales: { en: { name: `${key} (en)`, description: `About ${key}` } },
  ...extra,
});

const cookie = (name: string, categoryKey: string, position: number, extra: Partial<CookieDefinition> = {}): CookieDefinition => ({
  documentId: `doc-${categoryKey}-${name}`,
  name,
  category: categoryKey,
  provider: 'Example Oy',
  domain: '.example.com',
  storageType: 'cookie',
  thirdParty: false,
  service: '',
  position,
  locales: { en: { purpose: `${name} purpose`, duration: '1 year' } },
  ...extra,
});

/** A deep copy with every object's keys in reverse insertion order (as PostgreSQL jsonb may give them back). */
function reversedKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reversedKeys) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).reverse()) out[k] = reversedKeys((value as Record<string, unknown>)[k]);
    return out as T;
  }
  return value;
}

/** Runs `run` as on a server whose default locale (LANG) is `locale`: localeCompare without a locale uses it. */
function underDefaultLocale<T>(locale: string, run: () => T): T {
  const original = String.prototype.localeCompare;
  String.prototype.localeCompare = function (this: string, that: string, locales?: string | string[], options?: Intl.CollatorOptions) {
    return original.call(this, that, locales ?? locale, options);
  } as typeof original;
  try {
    return run();
  } finally {
    String.prototype.localeCompare = original;
  }
}

describe('buildSnapshot', () => {
  const categories = [
    category('marketing', 3, { consentMode: ['ad_user_data', 'ad_storage', 'ad_personalization'], refusedUnderGpc: true }),
    category('necessary', 0, { required: true, consentMode: ['security_storage'] }),
    category('statistics', 2, { consentMode: ['analytics_storage'], locales: { fi: { name: 'Tilastot', description: '' }, en: { name: 'Statistics', description: 'Counts' } } }),
    category('preferences', 2, { consentMode: ['personalization_storage', 'functionality_storage'] }),
  ];
  const definitions = [
    cookie('_gid', 'statistics', 1),
    cookie('_ga', 'statistics', 1),
    cookie('_ga_*', 'statistics', 0, { locales: { et: { purpose: 'Eesmärk', duration: '2 aastat' } } }),
    cookie('session', 'necessary', 0),
    cookie('orphan', 'gone', 0),
    cookie('lang', 'preferences', 5, { storageType: 'localStorage' }),
  ];

  it('orders categories by position, then key', () => {
    const snapshot = buildSnapshot(categories, definitions);
    expect(snapshot.categories.map((c) => c.key)).toEqual(['necessary', 'preferences', 'statistics', 'marketing']);
  });

  it('orders cookies by position, then name, under their category', () => {
    const snapshot = buildSnapshot(categories, definitions);
    expect(snapshot.categories.map((c) => [c.key, c.cookies.map((d) => d.name)])).toEqual([
      ['necessary', ['session']],
      ['preferences', ['lang']],
      ['statistics', ['_ga_*', '_ga', '_gid']],
      ['marketing', []],
    ]);
  });

  it('strips ids, positions and category references; sorts Consent Mode signals; lists every locale', () => {
    const snapshot = buildSnapshot(categories, definitions);
    expect(snapshot.locales).toEqual(['en', 'et', 'fi']);
    const statistics = snapshot.categories.find((c) => c.key === 'statistics')!;
    expect(Object.keys(statistics).sort()).toEqual(['consentMode', 'cookies', 'key', 'locales', 'refusedUnderGpc', 'required']);
    expect(Object.keys(statistics.cookies[0]).sort()).toEqual(['domain', 'locales', 'name', 'provider', 'service', 'storageType', 'thirdParty']);
    expect(snapshot.categories.find((c) => c.key === 'marketing')!.consentMode).toEqual(['ad_personalization', 'ad_storage', 'ad_user_data']);
    expect(JSON.stringify(snapshot)).not.toMatch(/"(position|documentId|category)"/);
    expect(statistics.cookies[1]).toEqual({
      name: '_ga',
      provider: 'Example Oy',
      domain: '.example.com',
      storageType: 'cookie',
      thirdParty: false,
      service: '',
      locales: { en: { purpose: '_ga purpose', duration: '1 year' } },
    });
  });

  it('leaves out cookies of a category that does not exist', () => {
    const snapshot = buildSnapshot(categories, definitions);
    expect(JSON.stringify(snapshot)).not.toContain('orphan');
  });

  it('does not change its input', () => {
    const before = JSON.stringify([categories, definitions]);
    buildSnapshot(categories, definitions);
    expect(JSON.stringify([categories, definitions])).toBe(before);
  });

  it('is the same whatever order the rows come in (property)', () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9_-]{0,6}$/);
    const input = fc
      .uniqueArray(fc.record({ key, position: fc.integer({ min: 0, max: 3 }), signals: fc.subarray([...CONSENT_MODE_SIGNALS]) }), { selector: (c) => c.key, maxLength: 6 })
      .chain((cats) =>
        fc.tuple(
          fc.constant(cats.map((c) => category(c.key, c.position, { consentMode: c.signals }))),
          fc.uniqueArray(
            fc.record({ name: fc.string({ minLength: 1, maxLength: 6 }), category: cats.length ? fc.constantFrom(...cats.map((c) => c.key)) : fc.constant('none'), position: fc.integer({ min: 0, max: 3 }) }),
            { selector: (d) => `${d.category}/${d.name}`, maxLength: 10 }
          ).map((defs) => defs.map((d) => cookie(d.name, d.category, d.position)))
        )
      );
    fc.assert(
      fc.property(input, fc.integer(), ([cats, defs], seed) => {
        const snapshot = buildSnapshot(cats, defs);
        const shuffle = <T>(list: T[]) => list.map((v, i) => [((i + 1) * 2654435761 + seed) >>> 0, v] as const).sort((a, b) => a[0] - b[0]).map(([, v]) => v);
        expect(buildSnapshot(shuffle(cats), shuffle(defs))).toEqual(snapshot);
        expect(buildSnapshot([...cats].reverse(), [...defs].reverse())).toEqual(snapshot);
        // positions never go down; every cookie appears once, under its category
        const positions = snapshot.categories.map((c) => cats.find((x) => x.key === c.key)!.position);
        expect([...positions].sort((a, b) => a - b)).toEqual(positions);
        expect(snapshot.categories).toHaveLength(cats.length);
        for (const c of snapshot.categories) {
          const mine = defs.filter((d) => d.category === c.key);
          expect(c.cookies.map((d) => d.name).sort()).toEqual(mine.map((d) => d.name).sort());
          const cookiePositions = c.cookies.map((d) => mine.find((m) => m.name === d.name)!.position);
          expect([...cookiePositions].sort((a, b) => a - b)).toEqual(cookiePositions);
          expect(c.consentMode).toEqual([...c.consentMode].sort());
        }
      }),
      runs
    );
  });

  it('orders ties the same on every server, whatever its locale (LANG); the order is hashed', () => {
    // Ties happen: a cookie moved to another category keeps its position. Estonian sorts z before t,
    // Lithuanian y before t: a server started with LANG=et_EE.UTF-8 must freeze the same snapshot.
    const cats = [category('tracking', 1), category('zzz', 1), category('yield', 1), category('ads', 0)];
    const defs = [cookie('tid', 'ads', 0), cookie('zid', 'ads', 0), cookie('yid', 'ads', 0)];
    // (Checked outside jest too: `LANG=et_EE.UTF-8 node` really orders these keys zzz, tracking, yield.)
    const orderOf = (s: DeclarationSnapshot) => s.categories.map((c) => `${c.key}[${c.cookies.map((d) => d.name).join(',')}]`).join(' ');
    const english = underDefaultLocale('en', () => buildSnapshot(cats, defs));
    expect(orderOf(english)).toBe('ads[tid,yid,zid] tracking[] yield[] zzz[]');
    for (const locale of ['et', 'lt', 'fi', 'da', 'sv']) {
      const there = underDefaultLocale(locale, () => buildSnapshot(cats, defs));
      expect([locale, orderOf(there)]).toEqual([locale, orderOf(english)]);
      expect(canonicalJson(there)).toBe(canonicalJson(english));
    }
  });
});

describe('diffSnapshots', () => {
  const base = () =>
    buildSnapshot(
      [category('necessary', 0, { required: true }), category('statistics', 1, { consentMode: ['analytics_storage'] }), category('marketing', 2)],
      [cookie('session', 'necessary', 0), cookie('_ga', 'statistics', 0), cookie('_gid', 'statistics', 1), cookie('fbp', 'marketing', 0)]
    );
  const none = { added: [], removed: [], changed: [] };

  it('reports everything as added when nothing was published, and changed', () => {
    expect(diffSnapshots(null, null, base())).toEqual({
      since: null,
      changed: true,
      categories: { added: ['necessary', 'statistics', 'marketing'], removed: [], changed: [] },
      cookies: { added: ['necessary/session', 'statistics/_ga', 'statistics/_gid', 'marketing/fbp'], removed: [], changed: [] },
    });
    // an empty declaration never published is still a change to publish
    expect(diffSnapshots(null, null, { categories: [], locales: [] }).changed).toBe(true);
  });

  it('reports no change for the same content', () => {
    expect(diffSnapshots(3, base(), base())).toEqual({ since: 3, changed: false, categories: none, cookies: none });
  });

  it('reports no change for equal content with keys in another order, at any depth', () => {
    const previous = base();
    const jsonb = reversedKeys(base());
    expect(Object.keys(jsonb.categories[0])).not.toEqual(Object.keys(previous.categories[0]));
    expect(diffSnapshots(1, previous, jsonb)).toEqual({ since: 1, changed: false, categories: none, cookies: none });
    expect(diffSnapshots(1, jsonb, previous).changed).toBe(false);
  });

  it('reports added and removed categories and their cookies', () => {
    const next = buildSnapshot(
      [category('necessary', 0, { required: true }), category('statistics', 1, { consentMode: ['analytics_storage'] }), category('social', 2)],
      [cookie('session', 'necessary', 0), cookie('_ga', 'statistics', 0), cookie('_gid', 'statistics', 1), cookie('li', 'social', 0)]
    );
    expect(diffSnapshots(1, base(), next)).toEqual({
      since: 1,
      changed: true,
      categories: { added: ['social'], removed: ['marketing'], changed: [] },
      cookies: { added: ['social/li'], removed: ['marketing/fbp'], changed: [] },
    });
  });

  it('reports a changed category for any of its fields, not for its cookies', () => {
    const edits: Array<(c: DeclarationSnapshot['categories'][number]) => void> = [
      (c) => (c.required = true),
      (c) => (c.refusedUnderGpc = true),
      (c) => (c.consentMode = ['analytics_storage', 'personalization_storage']),
      (c) => (c.locales.en.name = 'Stats'),
      (c) => (c.locales.en.description = 'Counts visits'),
      (c) => (c.locales.fi = { name: 'Tilastot', description: '' }),
      (c) => delete (c.locales as Record<string, unknown>).en,
    ];
    for (const edit of edits) {
      const next = base();
      edit(next.categories[1]);
      expect(diffSnapshots(1, base(), next)).toEqual({ since: 1, changed: true, categories: { ...none, changed: ['statistics'] }, cookies: none });
    }
    // a cookie's change is the cookie's, not its category's
    const next = base();
    next.categories[1].cookies[0].provider = 'Google';
    expect(diffSnapshots(1, base(), next)).toEqual({ since: 1, changed: true, categories: none, cookies: { ...none, changed: ['statistics/_ga'] } });
  });

  it('reports a changed cookie for any of its fields', () => {
    const edits: Array<(d: DeclarationSnapshot['categories'][number]['cookies'][number]) => void> = [
      (d) => (d.provider = 'Google'),
      (d) => (d.domain = 'example.com'),
      (d) => (d.storageType = 'localStorage'),
      (d) => (d.thirdParty = true),
      (d) => (d.service = 'Analytics'),
      (d) => (d.locales.en.purpose = 'Other'),
      (d) => (d.locales.en.duration = '2 years'),
      (d) => (d.locales.fi = { purpose: 'x', duration: 'y' }),
    ];
    for (const edit of edits) {
      const next = base();
      edit(next.categories[1].cookies[1]);
      expect(diffSnapshots(1, base(), next)).toEqual({ since: 1, changed: true, categories: none, cookies: { ...none, changed: ['statistics/_gid'] } });
    }
  });

  it('reports a reorder as a change of what moved', () => {
    const categoriesSwapped = base();
    categoriesSwapped.categories = [categoriesSwapped.categories[0], categoriesSwapped.categories[2], categoriesSwapped.categories[1]];
    expect(diffSnapshots(1, base(), categoriesSwapped)).toEqual({
      since: 1,
      changed: true,
      categories: { ...none, changed: ['marketing', 'statistics'] },
      cookies: none, // a cookie's index is within its category
    });
    const cookiesSwapped = base();
    cookiesSwapped.categories[1].cookies.reverse();
    expect(diffSnapshots(1, base(), cookiesSwapped)).toEqual({
      since: 1,
      changed: true,
      categories: none,
      cookies: { ...none, changed: ['statistics/_gid', 'statistics/_ga'] },
    });
  });

  it('reports a cookie moved to another category as removed there and added here', () => {
    const next = base();
    const [ga] = next.categories[1].cookies.splice(0, 1);
    next.categories[2].cookies.push(ga);
    const diff = diffSnapshots(1, base(), next);
    expect(diff.cookies.added).toEqual(['marketing/_ga']);
    expect(diff.cookies.removed).toEqual(['statistics/_ga']);
    expect(diff.cookies.changed).toEqual(['statistics/_gid']); // moved up from index 1 to 0
    expect(diff.categories).toEqual(none);
  });

  it('added, removed and changed are what set arithmetic says (property)', () => {
    const keys = ['a', 'b', 'c', 'd', 'e'];
    const snapshot = fc
      .subarray(keys)
      .chain((present) =>
        fc.tuple(
          fc.shuffledSubarray(present, { minLength: present.length, maxLength: present.length }),
          fc.array(fc.tuple(fc.constantFrom(...keys), fc.constantFrom('x', 'y', 'z'), fc.constantFrom('P', 'Q')), { maxLength: 8 }),
          fc.array(fc.constantFrom(...keys), { maxLength: 2 })
        )
      )
      .map(([order, cookies, required]): DeclarationSnapshot => ({
        locales: ['en'],
        categories: order.map((k) => ({
          key: k,
          required: required.includes(k),
          consentMode: [],
          refusedUnderGpc: false,
          locales: { en: { name: k, description: '' } },
          cookies: [...new Map(cookies.filter(([c]) => c === k).map(([, name, provider]) => [name, provider])).entries()].map(([name, provider]) => ({
            name,
            provider,
            domain: '',
            storageType: 'cookie' as const,
            thirdParty: false,
            service: '',
            locales: {},
          })),
        })),
      }));
    const setOf = (s: DeclarationSnapshot) => ({
      categories: new Set(s.categories.map((c) => c.key)),
      cookies: new Set(s.categories.flatMap((c) => c.cookies.map((d) => `${c.key}/${d.name}`))),
    });
    fc.assert(
      fc.property(snapshot, snapshot, fc.integer({ min: 1, max: 99 }), (previous, next, since) => {
        const diff = diffSnapshots(since, previous, next);
        const [p, n] = [setOf(previous), setOf(next)];
        for (const kind of ['categories', 'cookies'] as const) {
          expect(new Set(diff[kind].added)).toEqual(new Set([...n[kind]].filter((k) => !p[kind].has(k))));
          expect(new Set(diff[kind].removed)).toEqual(new Set([...p[kind]].filter((k) => !n[kind].has(k))));
          for (const k of diff[kind].changed) expect(p[kind].has(k) && n[kind].has(k)).toBe(true);
          expect(new Set(diff[kind].changed).size).toBe(diff[kind].changed.length);
        }
        const same = canonicalJson(previous) === canonicalJson(next);
        expect(diff.changed).toBe(!same);
        // and never a change between a snapshot and itself with keys in another order
        expect(diffSnapshots(since, next, reversedKeys(next)).changed).toBe(false);
      }),
      runs
    );
  });
});

describe('publicDeclaration', () => {
  const snapshot = buildSnapshot(
    [
      category('necessary', 0, {
        required: true,
        consentMode: ['security_storage'],
        locales: { en: { name: 'Necessary', description: 'Needed' }, fi: { name: 'Välttämättömät', description: 'Tarpeen' } },
      }),
      category('statistics', 1, { consentMode: ['analytics_storage'], locales: { en: { name: 'Statistics', description: 'Counts' } } }),
      category('marketing', 2, { refusedUnderGpc: true, locales: { de: { name: 'Marketing (de)', description: 'Werbung' }, sv: { name: 'Marknadsföring', description: '' } } }),
      category('bare', 3, { locales: {} }),
    ],
    [
      cookie('session', 'necessary', 0, { locales: { en: { purpose: 'Keeps you signed in', duration: 'Session' }, fi: { purpose: 'Pitää kirjautuneena', duration: 'Istunto' } } }),
      cookie('_ga', 'statistics', 0, { thirdParty: true, service: 'Google Analytics', locales: { en: { purpose: 'Counts', duration: '2 years' }, fi: { purpose: 'Laskee', duration: '2 vuotta' } } }),
      cookie('bare', 'bare', 0, { locales: {} }),
    ]
  );
  const revision = { revision: 4, hash: 'f'.repeat(64), publishedAt: '2026-11-23T10:00:00.000Z', snapshot };
  const onlyNecessary = { ...revision, snapshot: { ...snapshot, categories: snapshot.categories.slice(0, 1) } };

  it('serves the asked locale, with no fallback when every text has it', () => {
    const fi = publicDeclaration(onlyNecessary, 'fi', 'en');
    expect(fi).toEqual({
      revision: 4,
      hash: 'f'.repeat(64),
      publishedAt: '2026-11-23T10:00:00.000Z',
      locale: 'fi',
      fallback: false,
      locales: ['de', 'en', 'fi', 'sv'],
      categories: [
        {
          key: 'necessary',
          name: 'Välttämättömät',
          description: 'Tarpeen',
          required: true,
          consentMode: ['security_storage'],
          refusedUnderGpc: false,
          c15tType: 'necessary',
          saleShare: false,
          cookies: [
            {
              name: 'session',
              provider: 'Example Oy',
              domain: '.example.com',
              purpose: 'Pitää kirjautuneena',
              duration: 'Istunto',
              storageType: 'cookie',
              thirdParty: false,
              service: '',
            },
          ],
        },
      ],
    });
    expect(publicDeclaration(onlyNecessary, 'en', 'en').fallback).toBe(false);
    expect(publicDeclaration(onlyNecessary, null, 'en')).toMatchObject({ locale: 'en', fallback: false });
  });

  it('falls back per text to the default locale, and says so', () => {
    const fi = publicDeclaration(revision, 'fi', 'en');
    expect(fi.locale).toBe('fi');
    expect(fi.fallback).toBe(true);
    const byKey = Object.fromEntries(fi.categories.map((c) => [c.key, c]));
    expect(byKey.necessary.name).toBe('Välttämättömät'); // has fi
    expect(byKey.statistics.name).toBe('Statistics'); // no fi: the default's
    expect(byKey.statistics.cookies[0]).toMatchObject({ purpose: 'Laskee', duration: '2 vuotta' }); // the cookie has fi
  });

  it('falls back to any locale the text has (the first by code) when the default has none', () => {
    const en = publicDeclaration(revision, 'en', 'en');
    const marketing = en.categories.find((c) => c.key === 'marketing')!;
    expect(marketing.name).toBe('Marketing (de)');
    expect(en.fallback).toBe(true);
  });

  it('uses the key and empty texts when a text has no locale at all', () => {
    const en = publicDeclaration(revision, 'en', 'en');
    const bare = en.categories.find((c) => c.key === 'bare')!;
    expect(bare).toMatchObject({ name: 'bare', description: '' });
    expect(bare.cookies[0]).toMatchObject({ name: 'bare', purpose: '', duration: '' });
  });

  it('serves the default locale for a locale the revision does not have, with fallback true', () => {
    for (const wanted of ['et', 'xx', 'EN', '']) {
      const result = publicDeclaration(onlyNecessary, wanted, 'en');
      expect([wanted, result.locale, result.fallback]).toEqual([wanted, 'en', true]);
      expect(result.categories[0].name).toBe('Necessary');
    }
  });

  it('never leaks the other locales or internal fields', () => {
    const text = JSON.stringify(publicDeclaration(revision, 'fi', 'en'));
    expect(text).not.toContain('"locales":{');
    for (const other of ['Marknadsföring', 'Keeps you signed in', 'Needed']) expect(text).not.toContain(other);
    expect(text).not.toMatch(/"(position|documentId)"/);
  });

  it('each text is in the served locale unless fallback says otherwise (property)', () => {
    const locales = ['en', 'fi', 'sv'];
    const texts = fc.dictionary(fc.constantFrom(...locales), fc.string({ minLength: 1, maxLength: 4 }), { noNullPrototype: true });
    const input = fc.record({
      cats: fc.array(fc.tuple(texts, fc.array(texts, { maxLength: 2 })), { maxLength: 4 }),
      wanted: fc.option(fc.constantFrom(...locales, 'de'), { nil: null }),
      defaultLocale: fc.constantFrom(...locales),
    });
    fc.assert(
      fc.property(input, ({ cats, wanted, defaultLocale }) => {
        const snap = buildSnapshot(
          cats.map(([t], i) => category(`c${i}`, i, { locales: Object.fromEntries(Object.entries(t).map(([l, v]) => [l, { name: v, description: `d-${v}` }])) })),
          cats.flatMap(([, cookies], i) =>
            cookies.map((t, j) => cookie(`k${j}`, `c${i}`, j, { locales: Object.fromEntries(Object.entries(t).map(([l, v]) => [l, { purpose: v, duration: `t-${v}` }])) }))
          )
        );
        const result = publicDeclaration({ ...revision, snapshot: snap }, wanted, defaultLocale);
        const served = wanted && snap.locales.includes(wanted) ? wanted : defaultLocale;
        expect(result.locale).toBe(served);
        let everyTextServed = served === (wanted ?? defaultLocale);
        snap.categories.forEach((c, i) => {
          const out = result.categories[i];
          const pickOf = (all: Record<string, unknown>) => (all[served] ? served : all[defaultLocale] ? defaultLocale : Object.keys(all).sort()[0]);
          const chosen = pickOf(c.locales);
          if (chosen !== served) everyTextServed = false;
          expect(out.name).toBe(chosen ? c.locales[chosen].name : c.key);
          c.cookies.forEach((d, j) => {
            const chosenCookie = pickOf(d.locales);
            if (chosenCookie !== served) everyTextServed = false;
            expect(out.cookies[j].purpose).toBe(chosenCookie ? d.locales[chosenCookie].purpose : '');
          });
        });
        expect(result.fallback).toBe(!everyTextServed);
      }),
      runs
    );
  });
});

describe('consentModeOf', () => {
  const snapshotOf = (cats: Array<[string, ConsentModeSignal[]]>): DeclarationSnapshot =>
    buildSnapshot(cats.map(([key, consentMode], i) => category(key, i, { consentMode })), []);
  const denied = Object.fromEntries(CONSENT_MODE_SIGNALS.map((s) => [s, 'denied']));

  it('grants the signals of granted categories and denies the rest', () => {
    const snapshot = snapshotOf([
      ['necessary', ['security_storage']],
      ['statistics', ['analytics_storage']],
      ['marketing', ['ad_storage', 'ad_user_data', 'ad_personalization']],
    ]);
    expect(consentModeOf(snapshot, { necessary: true, statistics: true, marketing: false })).toEqual({
      ...denied,
      security_storage: 'granted',
      analytics_storage: 'granted',
    });
    expect(consentModeOf(snapshot, { necessary: true, statistics: false, marketing: true })).toEqual({
      ...denied,
      security_storage: 'granted',
      ad_storage: 'granted',
      ad_user_data: 'granted',
      ad_personalization: 'granted',
    });
  });

  it('grants a shared signal only when every category carrying it is granted', () => {
    const snapshot = snapshotOf([
      ['marketing', ['ad_storage']],
      ['retargeting', ['ad_storage', 'ad_personalization']],
    ]);
    expect(consentModeOf(snapshot, { marketing: true, retargeting: false })).toEqual(denied);
    expect(consentModeOf(snapshot, { marketing: false, retargeting: true })).toEqual({ ...denied, ad_personalization: 'granted' });
    expect(consentModeOf(snapshot, { marketing: true, retargeting: true })).toEqual({ ...denied, ad_storage: 'granted', ad_personalization: 'granted' });
  });

  it('denies signals no category carries, even when everything is granted', () => {
    expect(consentModeOf(snapshotOf([]), {})).toEqual(denied);
    expect(consentModeOf(snapshotOf([['everything', []]]), { everything: true })).toEqual(denied);
  });

  it('needs exactly true: a missing category, or one named like an Object.prototype member, is not granted', () => {
    const snapshot = snapshotOf([['constructor', ['analytics_storage']], ['statistics', ['functionality_storage']]]);
    expect(consentModeOf(snapshot, {})).toEqual(denied);
    expect(consentModeOf(snapshot, { constructor: 'true' } as unknown as Record<string, boolean>)).toEqual(denied);
    expect(consentModeOf(snapshot, { statistics: 1 } as unknown as Record<string, boolean>)).toEqual(denied);
    // categories of the state that the declaration does not have change nothing
    expect(consentModeOf(snapshot, { ads: true, constructor: true })).toEqual({ ...denied, analytics_storage: 'granted' });
  });

  it('agrees with the definition, names every signal, and granting more never denies a signal (property)', () => {
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
    const input = fc.record({
      cats: fc.uniqueArray(fc.tuple(fc.constantFrom(...keys), fc.subarray([...CONSENT_MODE_SIGNALS])), { selector: ([k]) => k, maxLength: 6 }),
      state: fc.dictionary(fc.constantFrom(...keys, 'zz'), fc.boolean(), { noNullPrototype: true }),
      extra: fc.constantFrom(...keys),
    });
    fc.assert(
      fc.property(input, ({ cats, state, extra }) => {
        const snapshot = snapshotOf(cats);
        const mode = consentModeOf(snapshot, state);
        expect(Object.keys(mode).sort()).toEqual([...CONSENT_MODE_SIGNALS].sort());
        for (const signal of CONSENT_MODE_SIGNALS) {
          const carriers = cats.filter(([, signals]) => signals.includes(signal));
          const granted = carriers.length > 0 && carriers.every(([k]) => state[k] === true);
          expect([signal, mode[signal]]).toEqual([signal, granted ? 'granted' : 'denied']);
        }
        const more = consentModeOf(snapshot, { ...state, [extra]: true });
        for (const signal of CONSENT_MODE_SIGNALS) if (mode[signal] === 'granted') expect(more[signal]).toBe('granted');
        const fewer = consentModeOf(snapshot, { ...state, [extra]: false });
        for (const signal of CONSENT_MODE_SIGNALS) if (fewer[signal] === 'granted') expect(mode[signal]).toBe('granted');
      }),
      runs
    );
  });
});
