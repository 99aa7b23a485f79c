/**
 * An original sample privacy policy for a fictional rowing club, in English and Finnish:
 * what the demo publishes as `privacy-policy` v1. It exercises what real policies hold:
 * numbered sections, a definitions list, tables of processing activities and retention,
 * a rights section and a contact address.
 */
const s = (heading: string, markdown: string) => ({ anchor: '', heading, markdown });

export const samplePolicy = {
  en: {
    title: 'Privacy policy of Northwind Rowing Club',
    summary: 'First published version.',
    sections: [
      s(
        '1. Who we are',
        'Northwind Rowing Club ry (business ID 1234567-8), Rantatie 1, 00100 Helsinki, Finland, is the controller of the personal data described here.\n\nQuestions about this policy: **privacy@northwind.example**.'
      ),
      s(
        '2. Definitions',
        '**Personal data**\n: any information about an identified or identifiable person.\n\n**Member**\n: a person who has joined the club.\n\n**Visitor**\n: anyone who uses our website without logging in.\n\n**Consent record**\n: our proof of a choice you made: what you were shown, what you chose and when.'
      ),
      s(
        '3. What we process and why',
        '| Activity | Data | Legal basis | Recipients |\n| --- | --- | --- | --- |\n| Membership | name, e-mail, phone, date of birth | contract | the club board |\n| Newsletter | e-mail address, language | consent | our e-mail service provider |\n| Website statistics | pseudonymous visitor id, truncated IP address | consent | our analytics provider (EU) |\n| Proof of consent | consent record, truncated IP address, time | legal obligation (GDPR Art. 7(1)) | nobody |'
      ),
      s(
        '4. How long we keep it',
        '| Data | Kept for |\n| --- | --- |\n| Membership data | membership + 2 years |\n| Newsletter subscription | until you unsubscribe |\n| Consent records | 12 months after they expire |\n| Unconfirmed newsletter sign-ups | 30 days |'
      ),
      s(
        '5. Cookies and your consent',
        'We ask for your consent before setting any cookie that is not strictly necessary. Your choice is valid for 12 months; after that, or when our cookie declaration changes, we ask again. You can change your mind at any time from the cookie settings link in the footer of every page.'
      ),
      s(
        '6. Newsletter',
        'We send the newsletter only after you confirm your address from the link we e-mail you (double opt-in). Every newsletter has a link to unsubscribe with one click.'
      ),
      s(
        '7. Your rights',
        'You have the right to:\n\n- access your personal data and receive a copy of it;\n- have inaccurate data corrected;\n- have your data erased;\n- receive your data in a machine-readable format (portability);\n- withdraw your consent at any time, without affecting processing before the withdrawal;\n- lodge a complaint with the Data Protection Ombudsman (tietosuoja.fi).\n\nWrite to **privacy@northwind.example**; we answer within one month.'
      ),
      s(
        '8. Changes to this policy',
        'We publish every change here before it takes effect and keep all earlier versions available. Material changes are announced at least 30 days in advance.'
      ),
    ],
  },
  fi: {
    title: 'Northwind Rowing Clubin tietosuojaseloste',
    summary: 'Ensimmäinen julkaistu versio.',
    sections: [
      s(
        '1. Keitä olemme',
        'Northwind Rowing Club ry (Y-tunnus 1234567-8), Rantatie 1, 00100 Helsinki, on tässä kuvattujen henkilötietojen rekisterinpitäjä.\n\nKysymykset tästä selosteesta: **privacy@northwind.example**.'
      ),
      s(
        '2. Määritelmät',
        '**Henkilötieto**\n: mikä tahansa tieto tunnistetusta tai tunnistettavissa olevasta henkilöstä.\n\n**Jäsen**\n: seuraan liittynyt henkilö.\n\n**Kävijä**\n: kuka tahansa, joka käyttää verkkosivustoamme kirjautumatta.\n\n**Suostumustallenne**\n: todiste tekemästäsi valinnasta: mitä sinulle näytettiin, mitä valitsit ja milloin.'
      ),
      s(
        '3. Mitä käsittelemme ja miksi',
        '| Käsittely | Tiedot | Oikeusperuste | Vastaanottajat |\n| --- | --- | --- | --- |\n| Jäsenyys | nimi, sähköposti, puhelin, syntymäaika | sopimus | seuran hallitus |\n| Uutiskirje | sähköpostiosoite, kieli | suostumus | sähköpostipalvelumme |\n| Sivuston tilastot | pseudonyymi kävijätunnus, katkaistu IP-osoite | suostumus | analytiikkapalvelumme (EU) |\n| Suostumuksen todentaminen | suostumustallenne, katkaistu IP-osoite, aika | lakisääteinen velvoite (GDPR 7(1) art.) | ei kenellekään |'
      ),
      s(
        '4. Kuinka kauan säilytämme tietoja',
        '| Tieto | Säilytysaika |\n| --- | --- |\n| Jäsentiedot | jäsenyys + 2 vuotta |\n| Uutiskirjeen tilaus | kunnes perut tilauksen |\n| Suostumustallenteet | 12 kuukautta niiden päättymisestä |\n| Vahvistamattomat tilaukset | 30 päivää |'
      ),
      s(
        '5. Evästeet ja suostumuksesi',
        'Pyydämme suostumustasi ennen kuin asetamme muita kuin välttämättömiä evästeitä. Valintasi on voimassa 12 kuukautta; sen jälkeen, tai kun evästeselosteemme muuttuu, kysymme uudelleen. Voit muuttaa valintaasi milloin tahansa jokaisen sivun alalaidan evästeasetuksista.'
      ),
      s(
        '6. Uutiskirje',
        'Lähetämme uutiskirjeen vasta, kun olet vahvistanut osoitteesi sähköpostiisi lähettämästämme linkistä (kaksivaiheinen vahvistus). Jokaisessa uutiskirjeessä on linkki, jolla tilauksen voi perua yhdellä napsautuksella.'
      ),
      s(
        '7. Oikeutesi',
        'Sinulla on oikeus:\n\n- saada pääsy tietoihisi ja saada niistä kopio;\n- saada virheelliset tiedot oikaistuiksi;\n- saada tietosi poistetuiksi;\n- saada tietosi koneluettavassa muodossa (siirto-oikeus);\n- peruuttaa suostumuksesi milloin tahansa ilman, että se vaikuttaa aiempaan käsittelyyn;\n- tehdä valitus tietosuojavaltuutetulle (tietosuoja.fi).\n\nKirjoita osoitteeseen **privacy@northwind.example**; vastaamme kuukauden kuluessa.'
      ),
      s(
        '8. Muutokset tähän selosteeseen',
        'Julkaisemme jokaisen muutoksen täällä ennen sen voimaantuloa ja pidämme kaikki aiemmat versiot saatavilla. Olennaisista muutoksista ilmoitamme vähintään 30 päivää etukäteen.'
      ),
    ],
  },
};

/** Texts for the four default categories, and the club's cookies, in English and Finnish. */
export const sampleCookieCategories = [
  {
    key: 'necessary',
    text: {
      en: { name: 'Necessary', description: 'Needed for the site to work: security, load balancing, remembering your cookie choice.' },
      fi: { name: 'Välttämättömät', description: 'Sivuston toiminnalle välttämättömät: tietoturva, kuormantasaus, evästevalintasi muistaminen.' },
    },
    definitions: [
      {
        name: 'privacy_consent',
        provider: 'Northwind Rowing Club',
        storageType: 'cookie' as const,
        thirdParty: false,
        locales: {
          en: { purpose: 'Remembers your cookie choice and its receipt.', duration: '12 months' },
          fi: { purpose: 'Muistaa evästevalintasi ja sen kuitin.', duration: '12 kuukautta' },
        },
      },
      {
        name: 'koa.sess',
        provider: 'Northwind Rowing Club',
        storageType: 'cookie' as const,
        thirdParty: false,
        locales: {
          en: { purpose: 'Keeps the members’ area session.', duration: 'session' },
          fi: { purpose: 'Pitää jäsenalueen istunnon auki.', duration: 'istunto' },
        },
      },
    ],
  },
  {
    key: 'preferences',
    text: {
      en: { name: 'Preferences', description: 'Remember choices such as your language.' },
      fi: { name: 'Asetukset', description: 'Muistavat valintasi, kuten kielen.' },
    },
    definitions: [
      {
        name: 'site_language',
        provider: 'Northwind Rowing Club',
        storageType: 'localStorage' as const,
        thirdParty: false,
        locales: {
          en: { purpose: 'Remembers the language you chose.', duration: '12 months' },
          fi: { purpose: 'Muistaa valitsemasi kielen.', duration: '12 kuukautta' },
        },
      },
    ],
  },
  {
    key: 'statistics',
    text: {
      en: { name: 'Statistics', description: 'Help us understand how the site is used, with pseudonymous data.' },
      fi: { name: 'Tilastot', description: 'Auttavat ymmärtämään sivuston käyttöä pseudonyymeillä tiedoilla.' },
    },
    definitions: [
      {
        name: '_pk_id.*',
        provider: 'Matomo (self-hosted)',
        storageType: 'cookie' as const,
        thirdParty: false,
        locales: {
          en: { purpose: 'Distinguishes visitors for statistics.', duration: '13 months' },
          fi: { purpose: 'Erottaa kävijät toisistaan tilastoja varten.', duration: '13 kuukautta' },
        },
      },
    ],
  },
  {
    key: 'marketing',
    text: {
      en: { name: 'Marketing', description: 'Measure our advertising campaigns.' },
      fi: { name: 'Markkinointi', description: 'Mittaavat mainoskampanjoitamme.' },
    },
    definitions: [
      {
        name: '_fbp',
        provider: 'Meta Platforms Ireland',
        domain: '.northwind.example',
        storageType: 'cookie' as const,
        thirdParty: true,
        locales: {
          en: { purpose: 'Measures visits from our ads.', duration: '3 months' },
          fi: { purpose: 'Mittaa mainostemme kautta tulleita käyntejä.', duration: '3 kuukautta' },
        },
      },
    ],
  },
];
