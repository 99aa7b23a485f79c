// What the newsletter says to people: the confirmation e-mail and the small pages behind the
// links, in English, Finnish, Estonian and German. Pure; editors may override the e-mail per
// locale in Settings (subject and text, with the same {{placeholders}}).

export const TEXT_LOCALES = ['en', 'fi', 'et', 'de'] as const;
export type TextLocale = (typeof TEXT_LOCALES)[number];

export interface EmailTemplate {
  subject: string;
  text: string;
}

/** The placeholders a template may use. */
export const PLACEHOLDERS = ['confirmUrl', 'unsubscribeUrl', 'list', 'hours', 'controllerName', 'controllerAddress', 'controllerEmail'] as const;

export const CONFIRMATION_EMAIL: Record<TextLocale, EmailTemplate> = {
  en: {
    subject: 'Please confirm your subscription',
    text:
      'Hello,\n\nSomeone, we hope you, asked to receive the "{{list}}" newsletter of {{controllerName}} at this address. ' +
      'To confirm, open this link and press Confirm:\n\n{{confirmUrl}}\n\nThe link works for {{hours}} hours. ' +
      'If you did not ask for this, ignore this message: you will not be subscribed.\n\n' +
      'To cancel this request: {{unsubscribeUrl}}\n\n{{controllerName}}\n{{controllerAddress}}\n{{controllerEmail}}\n',
  },
  fi: {
    subject: 'Vahvista tilauksesi',
    text:
      'Hei,\n\nJoku, toivottavasti sinä, pyysi {{controllerName}}n uutiskirjettä "{{list}}" tähän osoitteeseen. ' +
      'Vahvista tilaus avaamalla linkki ja painamalla Vahvista:\n\n{{confirmUrl}}\n\nLinkki toimii {{hours}} tuntia. ' +
      'Jos et pyytänyt tätä, voit jättää viestin huomiotta: tilausta ei tehdä.\n\n' +
      'Pyynnön voi perua tästä: {{unsubscribeUrl}}\n\n{{controllerName}}\n{{controllerAddress}}\n{{controllerEmail}}\n',
  },
  et: {
    subject: 'Palun kinnitage oma tellimus',
    text:
      'Tere\n\nKeegi, loodetavasti teie, soovis saada sellele aadressile {{controllerName}} uudiskirja „{{list}}“. ' +
      'Kinnitamiseks avage see link ja vajutage Kinnita:\n\n{{confirmUrl}}\n\nLink kehtib {{hours}} tundi. ' +
      'Kui te seda ei soovinud, jätke see kiri tähelepanuta: tellimust ei tehta.\n\n' +
      'Soovi tühistamiseks: {{unsubscribeUrl}}\n\n{{controllerName}}\n{{controllerAddress}}\n{{controllerEmail}}\n',
  },
  de: {
    subject: 'Bitte bestätigen Sie Ihr Abonnement',
    text:
      'Hallo,\n\njemand, hoffentlich Sie, hat den Newsletter „{{list}}“ von {{controllerName}} an diese Adresse bestellt. ' +
      'Zum Bestätigen öffnen Sie diesen Link und klicken Sie auf Bestätigen:\n\n{{confirmUrl}}\n\nDer Link gilt {{hours}} Stunden. ' +
      'Wenn Sie das nicht angefordert haben, ignorieren Sie diese Nachricht: Sie werden nicht eingetragen.\n\n' +
      'Anfrage zurückziehen: {{unsubscribeUrl}}\n\n{{controllerName}}\n{{controllerAddress}}\n{{controllerEmail}}\n',
  },
};

/** The words of the pages behind the links. */
export const PAGE_TEXTS: Record<TextLocale, Record<string, string>> = {
  en: {
    confirmTitle: 'Confirm your subscription',
    confirmBody: 'Press the button to start receiving the "{{list}}" newsletter at {{email}}.',
    confirmButton: 'Confirm',
    confirmedTitle: 'Subscription confirmed',
    confirmedBody: 'Thank you: you will receive the "{{list}}" newsletter. Every issue has a link to unsubscribe.',
    unsubscribeTitle: 'Unsubscribe',
    unsubscribeBody: 'Stop receiving the "{{list}}" newsletter at {{email}}?',
    reasonLabel: 'Why are you leaving? (optional)',
    unsubscribeButton: 'Unsubscribe',
    unsubscribedTitle: 'You are unsubscribed',
    unsubscribedBody: 'You will not receive the "{{list}}" newsletter any more.',
    invalidTitle: 'This link does not work',
    invalidBody: 'The link is incomplete or was changed. Copy the whole link from the e-mail, or subscribe again.',
    expiredTitle: 'This link has expired',
    expiredBody: 'Confirmation links work for a limited time. Subscribe again to get a new one.',
    staleTitle: 'This link was replaced',
    staleBody: 'A newer confirmation link was sent for this address, or the address was unsubscribed since. Use the newest e-mail.',
  },
  fi: {
    confirmTitle: 'Vahvista tilauksesi',
    confirmBody: 'Paina painiketta, niin uutiskirje "{{list}}" alkaa tulla osoitteeseen {{email}}.',
    confirmButton: 'Vahvista',
    confirmedTitle: 'Tilaus vahvistettu',
    confirmedBody: 'Kiitos: saat uutiskirjeen "{{list}}". Jokaisessa numerossa on linkki tilauksen perumiseen.',
    unsubscribeTitle: 'Peru tilaus',
    unsubscribeBody: 'Lopetetaanko uutiskirjeen "{{list}}" lähettäminen osoitteeseen {{email}}?',
    reasonLabel: 'Miksi lähdet? (vapaaehtoinen)',
    unsubscribeButton: 'Peru tilaus',
    unsubscribedTitle: 'Tilaus on peruttu',
    unsubscribedBody: 'Et saa enää uutiskirjettä "{{list}}".',
    invalidTitle: 'Linkki ei toimi',
    invalidBody: 'Linkki on vajaa tai sitä on muutettu. Kopioi koko linkki sähköpostista tai tilaa uudelleen.',
    expiredTitle: 'Linkki on vanhentunut',
    expiredBody: 'Vahvistuslinkit toimivat rajoitetun ajan. Tilaa uudelleen saadaksesi uuden linkin.',
    staleTitle: 'Linkki on korvattu',
    staleBody: 'Osoitteeseen on lähetetty uudempi vahvistuslinkki, tai tilaus on sittemmin peruttu. Käytä uusinta viestiä.',
  },
  et: {
    confirmTitle: 'Kinnitage tellimus',
    confirmBody: 'Vajutage nuppu, et hakata saama uudiskirja „{{list}}“ aadressile {{email}}.',
    confirmButton: 'Kinnita',
    confirmedTitle: 'Tellimus on kinnitatud',
    confirmedBody: 'Aitäh: saate uudiskirja „{{list}}“. Igas numbris on link tellimusest loobumiseks.',
    unsubscribeTitle: 'Loobu tellimusest',
    unsubscribeBody: 'Kas lõpetada uudiskirja „{{list}}“ saatmine aadressile {{email}}?',
    reasonLabel: 'Miks lahkute? (vabatahtlik)',
    unsubscribeButton: 'Loobu tellimusest',
    unsubscribedTitle: 'Tellimusest on loobutud',
    unsubscribedBody: 'Te ei saa enam uudiskirja „{{list}}“.',
    invalidTitle: 'See link ei tööta',
    invalidBody: 'Link on poolik või muudetud. Kopeerige kogu link kirjast või tellige uuesti.',
    expiredTitle: 'See link on aegunud',
    expiredBody: 'Kinnituslingid kehtivad piiratud aja. Tellige uuesti, et saada uus link.',
    staleTitle: 'See link on asendatud',
    staleBody: 'Sellele aadressile saadeti uuem kinnituslink või tellimusest on vahepeal loobutud. Kasutage uusimat kirja.',
  },
  de: {
    confirmTitle: 'Abonnement bestätigen',
    confirmBody: 'Klicken Sie auf die Schaltfläche, um den Newsletter „{{list}}“ an {{email}} zu erhalten.',
    confirmButton: 'Bestätigen',
    confirmedTitle: 'Abonnement bestätigt',
    confirmedBody: 'Danke: Sie erhalten den Newsletter „{{list}}“. Jede Ausgabe enthält einen Link zum Abbestellen.',
    unsubscribeTitle: 'Abbestellen',
    unsubscribeBody: 'Den Newsletter „{{list}}“ nicht mehr an {{email}} senden?',
    reasonLabel: 'Warum gehen Sie? (freiwillig)',
    unsubscribeButton: 'Abbestellen',
    unsubscribedTitle: 'Sie sind abgemeldet',
    unsubscribedBody: 'Sie erhalten den Newsletter „{{list}}“ nicht mehr.',
    invalidTitle: 'Dieser Link funktioniert nicht',
    invalidBody: 'Der Link ist unvollständig oder wurde verändert. Kopieren Sie den ganzen Link aus der E-Mail oder bestellen Sie erneut.',
    expiredTitle: 'Dieser Link ist abgelaufen',
    expiredBody: 'Bestätigungslinks gelten nur eine begrenzte Zeit. Bestellen Sie erneut, um einen neuen zu erhalten.',
    staleTitle: 'Dieser Link wurde ersetzt',
    staleBody: 'An diese Adresse wurde ein neuerer Bestätigungslink gesendet, oder sie wurde inzwischen abgemeldet. Verwenden Sie die neueste E-Mail.',
  },
};

/** The text locale for a locale code: "fi-FI" → fi; anything else → en. */
export const textLocale = (code: unknown): TextLocale => {
  const base = typeof code === 'string' ? code.toLowerCase().split('-')[0] : '';
  return (TEXT_LOCALES as readonly string[]).includes(base) ? (base as TextLocale) : 'en';
};

/** Fills `{{name}}` placeholders; unknown ones are left as they are. Linear (no backtracking). */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{([a-zA-Z]+)\}\}/g, (whole, name: string) => (name in values ? values[name] : whole));
}

export const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** `j…@example.com`: enough for the owner to recognise the address, little for anyone else. */
export const maskEmail = (email: string | null) => {
  if (!email) return '…';
  const at = email.lastIndexOf('@');
  return `${email.slice(0, 1)}…${email.slice(at)}`;
};
