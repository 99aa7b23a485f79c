import { sectionChanges } from '../../server/src/policy/changes';
import { failureReason, isTemporary, noticeDate, NOTICE_EMAIL } from '../../server/src/notice/texts';
import { fill, TEXT_LOCALES } from '../../server/src/newsletter/texts';
import { withoutAddresses } from '../../server/src/newsletter/email';

const s = (anchor: string, heading: string, markdown: string) => ({ anchor, heading, markdown });

describe('sectionChanges', () => {
  it('matches sections by anchor: added, removed (where it stood), changed; unchanged left out', () => {
    const before = [s('a', 'A', 'one'), s('b', 'B', 'two'), s('c', 'C', 'three')];
    const after = [s('a', 'A', 'one'), s('c', 'C (new)', 'three'), s('d', 'D', 'four')];
    expect(sectionChanges(before, after)).toEqual([
      { kind: 'removed', anchor: 'b', heading: 'B', previousMarkdown: 'two' },
      { kind: 'changed', anchor: 'c', heading: 'C (new)', previousHeading: 'C', markdown: 'three', previousMarkdown: 'three' },
      { kind: 'added', anchor: 'd', heading: 'D', markdown: 'four' },
    ]);
  });

  it('a first version is all added; a moved section is not a change', () => {
    expect(sectionChanges([], [s('a', 'A', 'x')]).map((c) => c.kind)).toEqual(['added']);
    expect(sectionChanges([s('a', 'A', 'x'), s('b', 'B', 'y')], [s('b', 'B', 'y'), s('a', 'A', 'x')])).toEqual([]);
  });
});

describe('notice texts', () => {
  it('every language has the links, the date and the unsubscribe line', () => {
    for (const code of TEXT_LOCALES) {
      const t = NOTICE_EMAIL[code];
      for (const placeholder of ['{{versionUrl}}', '{{changesUrl}}', '{{date}}', '{{summary}}', '{{unsubscribe}}']) expect(t.text).toContain(placeholder);
      expect(t.subject).toContain('{{title}}');
      expect(t.unsubscribe).toContain('{{unsubscribeUrl}}');
    }
  });

  it('a value is never expanded as a placeholder', () => {
    expect(fill(NOTICE_EMAIL.en.subject, { title: '{{changesUrl}}', date: 'x' })).toBe('{{changesUrl}}: changes take effect on x');
  });

  it('names the date in UTC', () => {
    expect(noticeDate('2027-01-01T00:00:00.000Z', 'en')).toMatch(/January 1, 2027.*UTC$/);
  });

  it('tells temporary from permanent failures, and keeps no address in the reason', () => {
    expect(isTemporary({ responseCode: 451 })).toBe(true);
    expect(isTemporary({ responseCode: 550 })).toBe(false);
    expect(isTemporary(new Error('ECONNREFUSED'))).toBe(true);
    const reason = failureReason({ responseCode: 550, response: '550 5.1.1 <anna@example.fi>: no such user\r\nX: y' }, withoutAddresses);
    expect(reason).toMatch(/^SMTP 550: /);
    expect(reason).not.toMatch(/anna|@|\r|\n/);
  });
});
