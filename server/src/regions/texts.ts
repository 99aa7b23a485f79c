// What the regions say to visitors: the link the opt-out laws require, in the plugin's four
// languages. Pure.
import { textLocale, type TextLocale } from '../newsletter/texts';

/** The words of Cal. Civ. Code § 1798.135(a)(1), which the other opt-out laws accept too. */
export const DO_NOT_SELL_LINK: Record<TextLocale, string> = {
  en: 'Do Not Sell or Share My Personal Information',
  fi: 'Älä myy tai jaa henkilötietojani',
  et: 'Ära müü ega jaga minu isikuandmeid',
  de: 'Meine personenbezogenen Daten nicht verkaufen oder weitergeben',
};

export const doNotSellText = (locale: string) => DO_NOT_SELL_LINK[textLocale(locale)];
