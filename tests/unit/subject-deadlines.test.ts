import {
  acknowledgeUnder,
  addBusinessDays,
  DEFAULT_DEADLINES,
  deadlineTableProblems,
  dueUnder,
  extensionRefusal,
  extensionsOf,
  holidayProblems,
  ruleFor,
} from '../../server/src/subjects/due';
import { JURISDICTION_CODES } from '../../server/src/regions';
import { REQUEST_TYPES } from '../../server/src/subjects/types';

const YEAR_END = ['2026-12-24', '2026-12-25', '2026-12-31', '2027-01-01'];
const at = (day: string, time = '10:00:00.000Z') => `${day}T${time}`;

describe('business days', () => {
  it('skip weekends and holidays, across a year end', () => {
    // Tue 22 Dec: 23 (1), 24-27 holiday/weekend, 28-30 (2-4), 31 and 1 holidays, 2-3 weekend,
    // 4-8 (5-9), 9-10 weekend, Mon 11 January (10).
    expect(addBusinessDays(new Date(at('2026-12-22')), 10, new Set(YEAR_END)).toISOString()).toBe(at('2027-01-11'));
    // Without holidays: 23, 24, 25, 28, 29, 30, 31, 1, 4, 5.
    expect(addBusinessDays(new Date(at('2026-12-22')), 10).toISOString()).toBe(at('2027-01-05'));
  });

  it('count from the next day, whatever day the request came in (a Saturday counts from Monday)', () => {
    expect(addBusinessDays(new Date(at('2026-08-29')), 1).toISOString()).toBe(at('2026-08-31')); // Sat → Mon
    expect(addBusinessDays(new Date(at('2026-08-28')), 1).toISOString()).toBe(at('2026-08-31')); // Fri → Mon
    // Across a month end: Thu 26 Feb 2026 + 3 → Fri 27, Mon 2 Mar, Tue 3 Mar.
    expect(addBusinessDays(new Date(at('2026-02-26')), 3).toISOString()).toBe(at('2026-03-03'));
  });
});

describe('due dates by jurisdiction', () => {
  const rule = (code: string | null, type = 'access') => ruleFor(DEFAULT_DEADLINES, code, type);

  it('GDPR and UK GDPR: one calendar month, extendable by two (month ends as date-fns counts them)', () => {
    for (const code of ['GDPR', 'UK_GDPR', null]) {
      expect(dueUnder(rule(code), at('2026-01-31'))).toBe(at('2026-02-28'));
      expect(dueUnder(rule(code), at('2026-01-31'), 1)).toBe(at('2026-03-31'));
      expect(dueUnder(rule(code), at('2026-01-31'), 2)).toBe(at('2026-04-30'));
      expect(acknowledgeUnder(rule(code), at('2026-01-31'))).toBeNull();
    }
    expect(dueUnder(rule('GDPR'), at('2028-01-31'))).toBe(at('2028-02-29'));
  });

  it('CCPA: acknowledge within 10 business days, answer within 45 calendar days, +45 once', () => {
    expect(acknowledgeUnder(rule('CCPA'), at('2026-12-22'), YEAR_END)).toBe(at('2027-01-11'));
    expect(dueUnder(rule('CCPA'), at('2026-12-22'), 0, YEAR_END)).toBe(at('2027-02-05'));
    expect(dueUnder(rule('CCPA'), at('2026-12-22'), 1, YEAR_END)).toBe(at('2027-03-22'));
    expect(extensionRefusal(rule('CCPA'), 'CCPA', 0, 1)).toBeNull();
    expect(extensionRefusal(rule('CCPA'), 'CCPA', 1, 1)).toMatch(/at most 1 extension in all.*1798\.130.*extended by 1 extension\(s\) already/);
  });

  it('opt-out of sale or sharing: 15 business days under any US law, no extension, no acknowledgement', () => {
    for (const code of ['CCPA', 'VCDPA', 'CPA', 'TDPSA']) {
      const own = rule(code, 'opt-out-sale-share');
      // Tue 22 Dec 2026 + 15 business days with the year-end holidays: the 10th is 11 January, then 12-15, 18.
      expect(dueUnder(own, at('2026-12-22'), 0, YEAR_END)).toBe(at('2027-01-18'));
      expect(acknowledgeUnder(own, at('2026-12-22'))).toBeNull();
      expect(extensionRefusal(own, code, 0, 1)).toMatch(/cannot be extended.*7026\(f\)/);
    }
    // Elsewhere the jurisdiction's own clock.
    expect(dueUnder(rule('GDPR', 'opt-out-sale-share'), at('2026-12-22'))).toBe(at('2027-01-22'));
  });

  it('the other US state laws: 45 days +45 once; PIPEDA 30 +30; Québec 30; LGPD 15; the rest one month', () => {
    expect(dueUnder(rule('VCDPA'), at('2026-01-31'), 1)).toBe(at('2026-05-01'));
    expect(acknowledgeUnder(rule('VCDPA'), at('2026-01-31'))).toBeNull();
    expect(dueUnder(rule('PIPEDA'), at('2026-01-31'))).toBe(at('2026-03-02'));
    expect(dueUnder(rule('PIPEDA'), at('2026-01-31'), 1)).toBe(at('2026-04-01'));
    expect(dueUnder(rule('QC_LAW25'), at('2026-01-31'))).toBe(at('2026-03-02'));
    expect(extensionRefusal(rule('QC_LAW25'), 'QC_LAW25', 0, 1)).toMatch(/QC_LAW25 allows no extension.*s\. 32/);
    expect(dueUnder(rule('LGPD'), at('2026-12-22'))).toBe(at('2027-01-06'));
    expect(dueUnder(rule('APPI'), at('2026-01-31'))).toBe(at('2026-02-28'));
    expect(extensionRefusal(rule('APPI'), 'APPI', 2, 1)).toMatch(/at most 2 months in all.*extended by 2 month\(s\) already/);
  });

  it('counts the extensions a due date holds (rows that did not record them)', () => {
    expect(extensionsOf(rule('CCPA'), at('2026-12-22'), at('2027-03-22'))).toBe(1);
    expect(extensionsOf(rule('GDPR'), at('2026-01-31'), at('2026-03-31'))).toBe(1);
    expect(extensionsOf(rule('GDPR'), at('2026-01-31'), at('2026-02-28'))).toBe(0);
  });
});

describe('the deadlines config', () => {
  it('accepts the defaults', () => {
    expect(deadlineTableProblems(DEFAULT_DEADLINES, JURISDICTION_CODES, REQUEST_TYPES)).toEqual([]);
    expect(holidayProblems([])).toEqual([]);
    expect(holidayProblems(YEAR_END)).toEqual([]);
  });

  it('names each problem', () => {
    const problems = deadlineTableProblems(
      {
        GDPR: { answer: { weeks: 4 } },
        XX: { answer: { days: 1 } },
        CCPA: { answer: { days: 0 }, extension: { days: 45, months: 1 }, types: { 'sell-my-soul': { answer: { days: 1 } } } },
      },
      JURISDICTION_CODES,
      REQUEST_TYPES
    );
    expect(problems).toEqual([
      'subjects.deadlines.GDPR.answer must have exactly one of months, days, businessDays',
      expect.stringMatching(/^subjects\.deadlines\.XX: unknown jurisdiction/),
      'subjects.deadlines.CCPA.answer.days must be a whole number from 1 to 366',
      'subjects.deadlines.CCPA.extension must have exactly one of months, days, businessDays',
      expect.stringMatching(/^subjects\.deadlines\.CCPA\.types\.sell-my-soul: unknown request type/),
    ]);
    expect(holidayProblems(['2026-02-30', '24.12.2026', '2026-12-24'])).toEqual(['subjects.holidays must hold real dates written YYYY-MM-DD: 2026-02-30, 24.12.2026']);
    expect(holidayProblems('2026-12-24')).toHaveLength(1);
  });
});

describe('the § 7102 metrics', () => {
  it('counts per type: received, complied with, denied (and unverified), open; median and mean days to respond', () => {
    const { requestMetrics, median } = require('../../server/src/subjects/metrics');
    const rows = [
      { type: 'access', status: 'completed', receivedAt: at('2026-03-01'), completedAt: at('2026-03-11'), verification: 'id card' },
      { type: 'access', status: 'completed', receivedAt: at('2026-03-01'), completedAt: at('2026-03-04'), verification: 'link' },
      { type: 'access', status: 'refused', receivedAt: at('2026-03-01'), completedAt: at('2026-03-02'), verification: null },
      { type: 'access', status: 'received', receivedAt: at('2026-03-01') },
      { type: 'erasure', status: 'refused', receivedAt: at('2026-03-01'), completedAt: at('2026-03-31'), verification: 'link' },
      { type: 'erasure', status: 'completed', receivedAt: at('2026-03-01'), completedAt: at('2026-03-02', '22:00:00.000Z'), verification: 'link' },
    ];
    expect(requestMetrics(rows, ['access', 'erasure', 'limit-sensitive'])).toEqual([
      { type: 'access', received: 4, compliedWith: 2, denied: 1, deniedUnverified: 1, open: 1, medianDays: 3, meanDays: 4.7 },
      { type: 'erasure', received: 2, compliedWith: 1, denied: 1, deniedUnverified: 0, open: 0, medianDays: 15.8, meanDays: 15.8 },
      { type: 'limit-sensitive', received: 0, compliedWith: 0, denied: 0, deniedUnverified: 0, open: 0, medianDays: null, meanDays: null },
    ]);
    expect(median([5, 1, 3, 2])).toBe(2.5);
  });
});

describe('the plugin config checks subjects.deadlines and subjects.holidays at boot', () => {
  const { defaultConfig, validateConfig } = require('../../server/src/config');
  const withSubjects = (subjects: Record<string, unknown>) => ({ ...defaultConfig, subjects: { ...defaultConfig.subjects, ...subjects } });

  it('accepts the defaults and a configured table', () => {
    expect(() => validateConfig(defaultConfig)).not.toThrow();
    expect(() => validateConfig(withSubjects({ holidays: YEAR_END, deadlines: { LGPD: { answer: { days: 10 } } } }))).not.toThrow();
    // A rule given replaces the built-in one whole: GDPR in days, without extension.
    const { clockOf } = require('../../server/src/services/subject-requests');
    const clock = clockOf(withSubjects({ deadlines: { GDPR: { answer: { days: 30 } } } }));
    expect(clock.deadlines.GDPR).toEqual({ answer: { days: 30 } });
    expect(clock.deadlines.CCPA).toBe(DEFAULT_DEADLINES.CCPA);
    expect(dueUnder(ruleFor(clock.deadlines, 'GDPR', 'access'), at('2026-01-31'))).toBe(at('2026-03-02'));
  });

  it('refuses a wrong table or holiday with a message naming the key', () => {
    expect(() => validateConfig(withSubjects({ deadlines: { CCPA: { answer: { days: 'soon' } } } }))).toThrow(
      /privacy-centre config is invalid:[\s\S]*subjects\.deadlines\.CCPA\.answer\.days must be a whole number from 1 to 366/
    );
    expect(() => validateConfig(withSubjects({ holidays: ['2026-13-01'] }))).toThrow(/subjects\.holidays must hold real dates written YYYY-MM-DD: 2026-13-01/);
    expect(() => validateConfig(withSubjects({ holidays: '2026-12-24' }))).toThrow(/subjects\.holidays must be a list/);
  });
});
