const MS_PER_DAY = 24 * 60 * 60 * 1000;

/**
 * Calendar days from `now` to `date` in the browser's time zone: 0 for later today, 1 for
 * tomorrow. Counted by dates, not by 24-hour periods, so "in 7 days" is the date a week from
 * today whatever the hour, also across a daylight-saving change. Never negative.
 */
export const calendarDaysUntil = (date: Date, now: Date = new Date()) => {
  const day = (d: Date) => Date.UTC(d.getFullYear(), d.getMonth(), d.getDate());
  return Math.max(0, Math.round((day(date) - day(now)) / MS_PER_DAY));
};
