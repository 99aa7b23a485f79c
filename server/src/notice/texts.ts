// What the advance notice of a material policy change says, in the plugin's four languages.
// Pure. The values filled in (title, summary) come from a sealed policy version; `fill` never
// expands a placeholder inside a value, and the subject is made one line when composed.
import type { EmailTemplate, TextLocale } from '../newsletter/texts';

export const NOTICE_EMAIL: Record<TextLocale, EmailTemplate & { unsubscribe: string }> = {
  en: {
    subject: '{{title}}: changes take effect on {{date}}',
    text:
      'Hello,\n\nWe are changing our {{title}}. The new version takes effect on {{date}}.\n\n' +
      'What changes:\n{{summary}}\n\nRead the new version: {{versionUrl}}\nSee the sections that changed: {{changesUrl}}\n\n' +
      '{{unsubscribe}}{{controllerName}}\n{{controllerAddress}}\n{{controllerEmail}}\n',
    unsubscribe: 'You receive this because you subscribed to the "{{list}}" newsletter. To unsubscribe: {{unsubscribeUrl}}\n\n',
  },
  fi: {
    subject: '{{title}}: muutokset voimaan {{date}}',
    text:
      'Hei,\n\nMuutamme asiakirjaa {{title}}. Uusi versio tulee voimaan {{date}}.\n\n' +
      'Mikä muuttuu:\n{{summary}}\n\nLue uusi versio: {{versionUrl}}\nKatso muuttuneet kohdat: {{changesUrl}}\n\n' +
      '{{unsubscribe}}{{controllerName}}\n{{controllerAddress}}\n{{controllerEmail}}\n',
    unsubscribe: 'Saat tämän viestin, koska tilasit uutiskirjeen "{{list}}". Tilauksen voi perua tästä: {{unsubscribeUrl}}\n\n',
  },
  et: {
    subject: '{{title}}: muudatused jõustuvad {{date}}',
    text:
      'Tere\n\nMe muudame dokumenti {{title}}. Uus versioon jõustub {{date}}.\n\n' +
      'Mis muutub:\n{{summary}}\n\nUus versioon: {{versionUrl}}\nMuudetud jaotised: {{changesUrl}}\n\n' +
      '{{unsubscribe}}{{controllerName}}\n{{controllerAddress}}\n{{controllerEmail}}\n',
    unsubscribe: 'Saate selle kirja, sest tellisite uudiskirja „{{list}}“. Tellimusest loobumiseks: {{unsubscribeUrl}}\n\n',
  },
  de: {
    subject: '{{title}}: Änderungen gelten ab {{date}}',
    text:
      'Hallo,\n\nwir ändern unsere {{title}}. Die neue Fassung gilt ab {{date}}.\n\n' +
      'Was sich ändert:\n{{summary}}\n\nDie neue Fassung: {{versionUrl}}\nDie geänderten Abschnitte: {{changesUrl}}\n\n' +
      '{{unsubscribe}}{{controllerName}}\n{{controllerAddress}}\n{{controllerEmail}}\n',
    unsubscribe: 'Sie erhalten diese Nachricht, weil Sie den Newsletter „{{list}}“ abonniert haben. Abbestellen: {{unsubscribeUrl}}\n\n',
  },
};

/** The effective date as people read it in `locale`, in UTC (said so: a notice names one moment for everyone). */
export const noticeDate = (instant: string, locale: TextLocale): string =>
  `${new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(instant))} UTC`;

/** A reason a send failed, as the outbox keeps it: one line, bounded, never an address. */
export const failureReason = (error: unknown, withoutAddresses: (text: string) => string): string => {
  const e = error as { responseCode?: number; response?: string; code?: string; message?: string } | null;
  const text = e?.response || e?.message || String(error);
  const prefix = e?.responseCode ? `SMTP ${e.responseCode}: ` : e?.code ? `${e.code}: ` : '';
  return withoutAddresses(`${prefix}${text}`).replace(/[\r\n]+/g, ' ').slice(0, 500);
};

/**
 * Whether a failed send may be tried again: an SMTP 4xx (greylisting, a full mailbox, a busy
 * server) or no answer at all (a connection that failed). A 5xx is permanent.
 */
export const isTemporary = (error: unknown): boolean => {
  const code = (error as { responseCode?: number } | null)?.responseCode;
  return typeof code === 'number' ? code >= 400 && code < 500 : true;
};
