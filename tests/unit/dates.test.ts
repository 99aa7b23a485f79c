import fc from 'fast-check';
import { calendarDaysUntil } from '../../admin/src/utils/dates';

describe('calendarDaysUntil (the overview notice "takes effect in N days")', () => {
  it('counts calendar dates, not 24-hour periods', () => {
    expect(calendarDaysUntil(new Date(2027, 0, 8, 0, 0), new Date(2027, 0, 1, 23, 59))).toBe(7);
    expect(calendarDaysUntil(new Date(2027, 0, 1, 23, 59), new Date(2027, 0, 1, 0, 1))).toBe(0);
    expect(calendarDaysUntil(new Date(2027, 0, 2, 0, 0), new Date(2027, 0, 1, 23, 59))).toBe(1);
  });

  it('is never negative and grows by one per day ahead', () => {
    fc.assert(
      fc.property(fc.integer({ min: -400, max: 400 }), fc.integer({ min: 0, max: 23 }), (days, hour) => {
        const now = new Date(2027, 5, 15, hour, 30);
        const target = new Date(2027, 5, 15 + days, 12, 0);
        expect(calendarDaysUntil(target, now)).toBe(Math.max(0, days));
      })
    );
  });
});
