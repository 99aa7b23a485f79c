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

/** The "Do Not Sell or Share" page and its answers (no script; one button). */
export const DO_NOT_SELL_PAGE: Record<TextLocale, Record<string, string>> = {
  en: {
    title: DO_NOT_SELL_LINK.en,
    body: 'Opt out of the sale and sharing of your personal information collected on this site: in this browser, the cookies of {{categories}} are turned off. If you give your e-mail address, we also register your request, so that it covers what we hold about you beyond this browser.',
    none: 'This site declares no cookies that sell or share personal information. You may still register a request with your e-mail address.',
    gpc: 'Your browser sends the Global Privacy Control signal: this site honours it as your opt-out.',
    emailLabel: 'Your e-mail address (optional)',
    button: 'Opt out',
    doneTitle: 'Opt-out request honored',
    doneBody: 'We no longer sell or share the personal information collected in this browser.',
    doneRequest: 'Your request is registered; we answer it within the time the law sets.',
    invalidTitle: 'This request could not be read',
    invalidBody: 'Please go back and try again.',
  },
  fi: {
    title: DO_NOT_SELL_LINK.fi,
    body: 'Kiellä tällä sivustolla kerättyjen henkilötietojesi myynti ja jakaminen: tässä selaimessa luokkien {{categories}} evästeet kytketään pois. Jos annat sähköpostiosoitteesi, kirjaamme myös pyyntösi, jotta se kattaa myös sen, mitä sinusta on tallennettu tämän selaimen ulkopuolella.',
    none: 'Tämä sivusto ei ilmoita evästeitä, jotka myyvät tai jakavat henkilötietoja. Voit silti kirjata pyynnön sähköpostiosoitteellasi.',
    gpc: 'Selaimesi lähettää Global Privacy Control -signaalin: sivusto noudattaa sitä kieltonasi.',
    emailLabel: 'Sähköpostiosoitteesi (vapaaehtoinen)',
    button: 'Kiellä',
    doneTitle: 'Kielto on kirjattu',
    doneBody: 'Emme enää myy tai jaa tässä selaimessa kerättyjä henkilötietoja.',
    doneRequest: 'Pyyntösi on kirjattu; vastaamme siihen lain määräämässä ajassa.',
    invalidTitle: 'Pyyntöä ei voitu lukea',
    invalidBody: 'Palaa takaisin ja yritä uudelleen.',
  },
  et: {
    title: DO_NOT_SELL_LINK.et,
    body: 'Keela sellel saidil kogutud isikuandmete müümine ja jagamine: selles brauseris lülitatakse kategooriate {{categories}} küpsised välja. Kui annad oma e-posti aadressi, registreerime ka sinu taotluse, et see hõlmaks ka seda, mida sinu kohta väljaspool seda brauserit hoitakse.',
    none: 'See sait ei deklareeri küpsiseid, mis müüvad või jagavad isikuandmeid. Saad siiski oma e-posti aadressiga taotluse registreerida.',
    gpc: 'Sinu brauser saadab Global Privacy Control signaali: sait austab seda kui sinu keeldu.',
    emailLabel: 'Sinu e-posti aadress (vabatahtlik)',
    button: 'Keela',
    doneTitle: 'Keeld on registreeritud',
    doneBody: 'Me ei müü ega jaga enam selles brauseris kogutud isikuandmeid.',
    doneRequest: 'Sinu taotlus on registreeritud; vastame sellele seadusega ette nähtud aja jooksul.',
    invalidTitle: 'Taotlust ei õnnestunud lugeda',
    invalidBody: 'Mine tagasi ja proovi uuesti.',
  },
  de: {
    title: DO_NOT_SELL_LINK.de,
    body: 'Widersprechen Sie dem Verkauf und der Weitergabe Ihrer auf dieser Website erhobenen personenbezogenen Daten: In diesem Browser werden die Cookies der Kategorien {{categories}} abgeschaltet. Wenn Sie Ihre E-Mail-Adresse angeben, erfassen wir außerdem Ihren Antrag, damit er auch erfasst, was wir über diesen Browser hinaus über Sie speichern.',
    none: 'Diese Website deklariert keine Cookies, die personenbezogene Daten verkaufen oder weitergeben. Sie können trotzdem mit Ihrer E-Mail-Adresse einen Antrag stellen.',
    gpc: 'Ihr Browser sendet das Global-Privacy-Control-Signal: Diese Website beachtet es als Ihren Widerspruch.',
    emailLabel: 'Ihre E-Mail-Adresse (freiwillig)',
    button: 'Widersprechen',
    doneTitle: 'Widerspruch erfasst',
    doneBody: 'Wir verkaufen und teilen die in diesem Browser erhobenen personenbezogenen Daten nicht mehr.',
    doneRequest: 'Ihr Antrag ist erfasst; wir beantworten ihn innerhalb der gesetzlichen Frist.',
    invalidTitle: 'Der Antrag konnte nicht gelesen werden',
    invalidBody: 'Bitte gehen Sie zurück und versuchen Sie es erneut.',
  },
};

export const doNotSellPageText = (locale: string, key: string) => DO_NOT_SELL_PAGE[textLocale(locale)][key];
