import { AbstractRouteValidator } from '@strapi/utils';
import * as schemas from './schemas';

/**
 * Every request and answer schema of the plugin's public routes, as Strapi 5 route validators
 * hold them (see @strapi/plugin-users-permissions): the routes declare these, Strapi's own
 * OpenAPI generator reads them there, and the controllers validate with the same objects.
 */
export class PrivacyCentreRouteValidator extends AbstractRouteValidator {
  get slugParam() {
    return schemas.params.slug;
  }
  get versionParam() {
    return schemas.params.version;
  }
  get consentIdParam() {
    return schemas.params.consentId;
  }
  get localeQuery() {
    return schemas.queries.locale;
  }
  get consentModeFormatQuery() {
    return schemas.queries.consentModeFormat.shape.format;
  }
  get doNotSellBody() {
    return schemas.DoNotSellInput;
  }
  get doNotSellForm() {
    return schemas.DoNotSellForm;
  }
  get doNotSellLocaleQuery() {
    return schemas.doNotSellQuery.shape.locale;
  }
  get doNotSellSubjectQuery() {
    return schemas.doNotSellQuery.shape.subjectId;
  }
  get tokenQuery() {
    return schemas.queries.token;
  }

  get consentInput() {
    return schemas.ConsentInput;
  }
  get cookieConsentInput() {
    return schemas.CookieConsentInput;
  }
  /** POST /consents as JSON: either shape (cookieconsent's is told apart by its lists). */
  get consentBody() {
    return schemas.z.union([schemas.ConsentInput, schemas.CookieConsentInput]);
  }
  /** `navigator.sendBeacon` sends the same JSON as text/plain. */
  get consentBeaconBody() {
    return schemas.z.string().meta({ description: 'The JSON text of a ConsentInput or CookieConsentInput (navigator.sendBeacon sends text/plain).' });
  }
  get consentVerifyBody() {
    return schemas.ConsentVerifyInput;
  }
  get newsletterSubscribeBody() {
    return schemas.NewsletterSubscribeInput;
  }
  get newsletterSubscribeForm() {
    return schemas.NewsletterSubscribeForm;
  }
  get linkTokenBody() {
    return schemas.LinkTokenInput;
  }
  get newsletterUnsubscribeBody() {
    return schemas.NewsletterUnsubscribeInput;
  }
  get oneClickUnsubscribeForm() {
    return schemas.OneClickUnsubscribeForm;
  }
  get subjectRequestBody() {
    return schemas.SubjectRequestInput;
  }

  get cookieObservationBody() {
    return schemas.CookieObservationInput;
  }
  /** `navigator.sendBeacon` sends the same JSON as text/plain. */
  get cookieObservationBeaconBody() {
    return schemas.z.string().meta({ description: 'The JSON text of a CookieObservationInput (navigator.sendBeacon sends text/plain).' });
  }

  get acceptanceBody() {
    return schemas.AcceptanceInput;
  }
  get acceptanceVerifyBody() {
    return schemas.AcceptanceVerifyInput;
  }

  get answers() {
    return schemas.answers;
  }
}

export const validator = new PrivacyCentreRouteValidator();
