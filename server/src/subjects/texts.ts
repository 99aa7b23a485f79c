// Texts of self-service data-subject requests: the e-mails and the pages behind their links, in
// the plugin's four languages. `{{type}}` is the request's name in that language. Pure.
import { fill, textLocale, type TextLocale } from '../newsletter/texts';

type Texts = Record<string, string>;

export const REQUEST_TEXTS: Record<TextLocale, Texts> = {
  en: {
    access: 'a copy of your data',
    erasure: 'erasure of your data',
    emailSubject: 'Confirm your request: {{type}}',
    emailText:
      'We received a request for {{type}} concerning this e-mail address.\n\nIf you made it, open this link and press the button to confirm it (the link works for {{hours}} hours):\n{{confirmUrl}}\n\nIf you did not, ignore this message: nothing will happen.\n\n{{controllerName}}\n{{controllerAddress}}\n{{controllerEmail}}\n',
    pageTitle: 'Confirm your request',
    pageBody: 'Press the button to confirm your request for {{type}}.',
    erasureWarning: 'Erasure cannot be undone: your newsletter subscriptions end and what we hold about you is removed.',
    button: 'Confirm',
    doneAccessTitle: 'Your data is on its way',
    doneAccessBody: 'We sent a copy of your data to your e-mail address.',
    doneErasureTitle: 'Your data is erased',
    doneErasureBody: 'We erased your data. A confirmation is on its way to your e-mail address.',
    waitingTitle: 'Your request is confirmed',
    waitingBody: 'We will answer it by {{due}}.',
    invalidTitle: 'This link does not work',
    invalidBody: 'The link is incomplete or was changed. Copy the whole link from the e-mail, or make the request again.',
    expiredTitle: 'This link has expired',
    expiredBody: 'Request links work for a limited time. Make the request again to get a new one.',
    accessSubject: 'A copy of your data',
    accessText: 'As you asked, the attached file holds a copy of the data we hold about you, with an explanation of why we hold it, who receives it, how long we keep it and your rights.\n\n{{controllerName}}\n{{controllerEmail}}\n',
    erasedSubject: 'Your data is erased',
    erasedText: 'As you asked, we erased the data we held about you. What remains is pseudonymous proof that consents were given and withdrawn, which the law asks us to keep.\n\n{{controllerName}}\n{{controllerEmail}}\n',
  },
  fi: {
    access: 'kopio tiedoistasi',
    erasure: 'tietojesi poistaminen',
    emailSubject: 'Vahvista pyyntösi: {{type}}',
    emailText:
      'Saimme tätä sähköpostiosoitetta koskevan pyynnön: {{type}}.\n\nJos teit sen, avaa tämä linkki ja vahvista pyyntö painikkeella (linkki toimii {{hours}} tuntia):\n{{confirmUrl}}\n\nJos et tehnyt pyyntöä, voit jättää viestin huomiotta.\n\n{{controllerName}}\n{{controllerAddress}}\n{{controllerEmail}}\n',
    pageTitle: 'Vahvista pyyntösi',
    pageBody: 'Vahvista pyyntö painikkeella: {{type}}.',
    erasureWarning: 'Poistoa ei voi perua: uutiskirjetilauksesi päättyvät ja sinusta säilytetyt tiedot poistetaan.',
    button: 'Vahvista',
    doneAccessTitle: 'Tietosi ovat matkalla',
    doneAccessBody: 'Lähetimme kopion tiedoistasi sähköpostiisi.',
    doneErasureTitle: 'Tietosi on poistettu',
    doneErasureBody: 'Poistimme tietosi. Vahvistus on matkalla sähköpostiisi.',
    waitingTitle: 'Pyyntösi on vahvistettu',
    waitingBody: 'Vastaamme siihen viimeistään {{due}}.',
    invalidTitle: 'Linkki ei toimi',
    invalidBody: 'Linkki on vajaa tai sitä on muutettu. Kopioi koko linkki viestistä tai tee pyyntö uudelleen.',
    expiredTitle: 'Linkki on vanhentunut',
    expiredBody: 'Pyyntölinkit toimivat rajoitetun ajan. Tee pyyntö uudelleen saadaksesi uuden linkin.',
    accessSubject: 'Kopio tiedoistasi',
    accessText: 'Pyyntösi mukaisesti liitteenä on kopio sinusta säilyttämistämme tiedoista sekä selvitys käyttötarkoituksista, vastaanottajista, säilytysajoista ja oikeuksistasi.\n\n{{controllerName}}\n{{controllerEmail}}\n',
    erasedSubject: 'Tietosi on poistettu',
    erasedText: 'Pyyntösi mukaisesti poistimme sinusta säilyttämämme tiedot. Jäljelle jää vain pseudonyymi todiste annetuista ja perutuista suostumuksista, jonka laki edellyttää.\n\n{{controllerName}}\n{{controllerEmail}}\n',
  },
  et: {
    access: 'koopia sinu andmetest',
    erasure: 'sinu andmete kustutamine',
    emailSubject: 'Kinnita oma taotlus: {{type}}',
    emailText:
      'Saime selle e-posti aadressi kohta taotluse: {{type}}.\n\nKui see olid sina, ava see link ja kinnita taotlus nupuga (link kehtib {{hours}} tundi):\n{{confirmUrl}}\n\nKui see polnud sina, jäta kiri tähelepanuta.\n\n{{controllerName}}\n{{controllerAddress}}\n{{controllerEmail}}\n',
    pageTitle: 'Kinnita oma taotlus',
    pageBody: 'Kinnita nupuga oma taotlus: {{type}}.',
    erasureWarning: 'Kustutamist ei saa tagasi võtta: uudiskirja tellimused lõpevad ja sinu andmed eemaldatakse.',
    button: 'Kinnita',
    doneAccessTitle: 'Sinu andmed on teel',
    doneAccessBody: 'Saatsime koopia sinu andmetest sinu e-posti aadressile.',
    doneErasureTitle: 'Sinu andmed on kustutatud',
    doneErasureBody: 'Kustutasime sinu andmed. Kinnitus on teel sinu e-posti aadressile.',
    waitingTitle: 'Sinu taotlus on kinnitatud',
    waitingBody: 'Vastame sellele hiljemalt {{due}}.',
    invalidTitle: 'See link ei tööta',
    invalidBody: 'Link on puudulik või muudetud. Kopeeri kogu link kirjast või esita taotlus uuesti.',
    expiredTitle: 'See link on aegunud',
    expiredBody: 'Taotluse lingid kehtivad piiratud aja. Esita taotlus uuesti, et saada uus link.',
    accessSubject: 'Koopia sinu andmetest',
    accessText: 'Sinu taotluse kohaselt on lisatud koopia sinu kohta hoitavatest andmetest koos selgitusega eesmärkide, saajate, säilitamise ja sinu õiguste kohta.\n\n{{controllerName}}\n{{controllerEmail}}\n',
    erasedSubject: 'Sinu andmed on kustutatud',
    erasedText: 'Sinu taotluse kohaselt kustutasime sinu kohta hoitud andmed. Alles jääb vaid pseudonüümne tõend antud ja tagasi võetud nõusolekute kohta, mida seadus nõuab.\n\n{{controllerName}}\n{{controllerEmail}}\n',
  },
  de: {
    access: 'eine Kopie Ihrer Daten',
    erasure: 'Löschung Ihrer Daten',
    emailSubject: 'Bestätigen Sie Ihre Anfrage: {{type}}',
    emailText:
      'Wir haben für diese E-Mail-Adresse eine Anfrage erhalten: {{type}}.\n\nWenn sie von Ihnen stammt, öffnen Sie diesen Link und bestätigen Sie sie mit der Schaltfläche (der Link gilt {{hours}} Stunden):\n{{confirmUrl}}\n\nWenn nicht, ignorieren Sie diese Nachricht.\n\n{{controllerName}}\n{{controllerAddress}}\n{{controllerEmail}}\n',
    pageTitle: 'Bestätigen Sie Ihre Anfrage',
    pageBody: 'Bestätigen Sie mit der Schaltfläche Ihre Anfrage: {{type}}.',
    erasureWarning: 'Die Löschung kann nicht rückgängig gemacht werden: Ihre Newsletter-Abonnements enden und Ihre Daten werden entfernt.',
    button: 'Bestätigen',
    doneAccessTitle: 'Ihre Daten sind unterwegs',
    doneAccessBody: 'Wir haben eine Kopie Ihrer Daten an Ihre E-Mail-Adresse gesendet.',
    doneErasureTitle: 'Ihre Daten sind gelöscht',
    doneErasureBody: 'Wir haben Ihre Daten gelöscht. Eine Bestätigung ist unterwegs.',
    waitingTitle: 'Ihre Anfrage ist bestätigt',
    waitingBody: 'Wir beantworten sie bis spätestens {{due}}.',
    invalidTitle: 'Dieser Link funktioniert nicht',
    invalidBody: 'Der Link ist unvollständig oder wurde verändert. Kopieren Sie den ganzen Link aus der E-Mail oder stellen Sie die Anfrage erneut.',
    expiredTitle: 'Dieser Link ist abgelaufen',
    expiredBody: 'Anfrage-Links gelten nur begrenzte Zeit. Stellen Sie die Anfrage erneut, um einen neuen zu erhalten.',
    accessSubject: 'Eine Kopie Ihrer Daten',
    accessText: 'Wie gewünscht enthält die angehängte Datei eine Kopie der Daten, die wir über Sie speichern, mit Angaben zu Zwecken, Empfängern, Speicherdauer und Ihren Rechten.\n\n{{controllerName}}\n{{controllerEmail}}\n',
    erasedSubject: 'Ihre Daten sind gelöscht',
    erasedText: 'Wie gewünscht haben wir die über Sie gespeicherten Daten gelöscht. Es bleibt nur ein pseudonymer Nachweis erteilter und widerrufener Einwilligungen, den das Gesetz verlangt.\n\n{{controllerName}}\n{{controllerEmail}}\n',
  },
};

/** One text of a locale, filled; `{{type}}` becomes the request type's name in that locale. */
export function requestText(locale: unknown, key: string, values: Record<string, string> = {}, type?: 'access' | 'erasure'): string {
  const texts = REQUEST_TEXTS[textLocale(locale)];
  return fill(texts[key], { ...values, ...(type ? { type: texts[type] } : {}) });
}
