import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { baseTranslations } from '@c15t/translations/all';
import { c15tTypeOf, type C15tConsentType } from '../c15t/consent-types';
import { acceptedLanguages, buildInit, chooseLanguage, declaredTypes, type C15tTranslations, type InitOutput } from '../c15t/init';
import type { Receipt } from '../consent/types';
import type { DeclarationSnapshot } from '../cookies/types';
import { CONSENT_UID } from '../guards/consent-record';
import { isUniqueViolation } from '../db/errors';
import { isLocaleCode } from '../policy/patterns';
import type { PostSubjectBody } from '../contract/c15t';
import { DeclarationIntegrityError } from './cookie-declarations';
import { ChainForkError, receiptOf, type RequestFacts } from './consents';

type Row = Record<string, any>;

const LINK_UID = 'plugin::privacy-centre.subject-link';

/** The languages c15t ships texts for, and its English as the fallback. */
const C15T_LANGUAGES = Object.keys(baseTranslations);
const c15tTexts = (language: string) =>
  ((baseTranslations as Record<string, unknown>)[language.toLowerCase()] ??
    (baseTranslations as Record<string, unknown>)[language.split('-')[0].toLowerCase()] ??
    baseTranslations.en) as C15tTranslations;

export type { HeaderOf } from './regions';
import type { HeaderOf } from './regions';

/** c15t's record id of a policy: one per declaration revision. */
const policyIdOf = (revision: number) => `privacy-centre-cookies-r${revision}`;

/** A state of category keys, seen as c15t's types: a type is granted when all its categories are. */
function preferencesOf(snapshot: DeclarationSnapshot, state: Record<string, boolean>): Partial<Record<C15tConsentType, boolean>> {
  const preferences: Partial<Record<C15tConsentType, boolean>> = {};
  for (const type of declaredTypes(snapshot)) {
    const categories = snapshot.categories.filter((c) => c15tTypeOf(c) === type);
    preferences[type] = type === 'necessary' || categories.every((c) => state[c.key] === true);
  }
  return preferences;
}

/**
 * The c15t 2.x hosted-mode backend: c15t's requests translated into the plugin's own rules. A
 * c15t consent is recorded by the consents service exactly as POST /consents records one
 * (validated against the declaration, completed by the server, signed, group-committed).
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const declarations = () => strapi.plugin('privacy-centre').service('cookie-declarations');
  const consents = () => strapi.plugin('privacy-centre').service('consents');
  const locales = () => strapi.plugin('privacy-centre').service('locales');
  const regions = () => strapi.plugin('privacy-centre').service('regions');
  const records = () => strapi.db.query(CONSENT_UID);
  const links = () => strapi.db.query(LINK_UID);

  /** Links the site's user id to a subject; linking again replaces the link. */
  const link = async (subjectId: string, body: { externalId: string; identityProvider?: string }) => {
    const data = { externalId: body.externalId, identityProvider: body.identityProvider ?? null, linkedAt: new Date().toISOString() };
    const existing = await links().findOne({ select: ['id'], where: { subjectId } });
    try {
      if (existing) await links().update({ where: { id: existing.id }, data });
      else await links().create({ data: { subjectId, ...data } });
    } catch (error) {
      // Two links of one subject at the same moment: the unique index kept one; this one wins now.
      if (existing || !isUniqueViolation(error)) throw error;
      await links().update({ where: { subjectId }, data });
    }
  };

  const latestRevision = async () => {
    const latest = await declarations().latest();
    if (!latest) throw new errors.NotFoundError('No cookie declaration has been published yet: publish one on the Cookies page');
    if (latest.integrity !== 'ok') throw new DeclarationIntegrityError(latest.revision);
    return latest;
  };

  const service = {
    /** `GET /init`. */
    async init(lang: string | undefined, header: HeaderOf): Promise<InitOutput> {
      const latest = await latestRevision();
      const { defaultLocale } = await locales().get();
      const wanted = lang ? [lang] : acceptedLanguages(header('accept-language'));
      const language = chooseLanguage(wanted, latest.snapshot.locales, C15T_LANGUAGES, defaultLocale);
      const jurisdiction = await regions().resolve(header);
      return buildInit({
        revision: latest,
        language,
        defaults: c15tTexts(language),
        jurisdiction,
        location: { countryCode: jurisdiction.country, regionCode: jurisdiction.region },
      });
    },

    /**
     * `POST /subjects`: a cookie-banner decision, recorded against the latest revision. A
     * subject's decisions form one chain (each continues the one before, `updated` or
     * `withdrawn`); c15t's retry of the same save (same subjectId and givenAt) gets the first
     * record's answer again.
     */
    async recordSubject(body: PostSubjectBody, facts: RequestFacts & { language: string | undefined }) {
      const latest = await latestRevision();
      const snapshot = latest.snapshot;
      const choices = Object.fromEntries(snapshot.categories.map((c) => [c.key, body.preferences[c15tTypeOf(c)] === true]));
      const requestId = `c15t:${body.givenAt}`;
      const answer = (receipt: Receipt, revisionSnapshot: DeclarationSnapshot, created: boolean) => ({
        created,
        output: {
          subjectId: receipt.subjectId,
          consentId: receipt.consentId,
          domainId: body.domain,
          domain: body.domain,
          type: 'cookie_banner' as const,
          appliedPreferences: preferencesOf(revisionSnapshot, receipt.state),
          ...(body.uiSource ? { uiSource: body.uiSource } : {}),
          givenAt: receipt.givenAt,
          metadata: { receipt },
        },
      });
      const again = async () => {
        const row = await records().findOne({ where: { subjectId: body.subjectId, requestId } });
        if (!row) return null;
        const revision = await declarations().revision(row.declarationRevision);
        return answer(receiptOf(row), revision?.snapshot ?? snapshot, false);
      };
      const retried = await again();
      if (retried) return retried;
      // Two saves of one subject at the same moment: the second continues the first's record.
      for (let attempt = 0; ; attempt += 1) {
        const [head] = await records().findMany({
          select: ['consentId'],
          where: { subjectId: body.subjectId, kind: 'cookie' },
          orderBy: [{ id: 'desc' }],
          limit: 1,
        });
        try {
          const { receipt, created } = await consents().recordDecision(
            {
              via: 'c15t',
              choices,
              declarationRevision: latest.revision,
              subjectId: body.subjectId,
              ...(head ? { previousConsentId: head.consentId } : {}),
              requestId,
              ...(facts.language ? { language: facts.language } : {}),
            },
            facts
          );
          // A signed-in visitor's c15t sends the site's user id along: linked as identify links it.
          if (body.externalSubjectId) await link(body.subjectId, { externalId: body.externalSubjectId, identityProvider: body.identityProvider });
          return answer(receipt, snapshot, created);
        } catch (error) {
          if (!(error instanceof ChainForkError) || attempt >= 2) throw error;
          const raced = await again();
          if (raced) return raced;
        }
      }
    },

    /** `GET /subjects/:id`: the subject's cookie-banner decisions (the newest 1,000), oldest first. */
    async subject(id: string) {
      // The newest 1,000 (the answer is bounded): the last decision is the one that holds.
      const rows: Row[] = (
        await records().findMany({
          where: { subjectId: id, kind: 'cookie' },
          orderBy: [{ id: 'desc' }],
          limit: 1000,
        })
      ).reverse();
      if (!rows.length) throw new errors.NotFoundError('No consent recorded for this subject');
      const [first] = await records().findMany({ select: ['givenAt'], where: { subjectId: id, kind: 'cookie' }, orderBy: [{ id: 'asc' }], limit: 1 });
      const latest = await declarations().latestNumber();
      const now = new Date().toISOString();
      const consentsOut: Array<Record<string, unknown>> = [];
      for (const row of rows) {
        const revision = await declarations().revision(row.declarationRevision);
        consentsOut.push({
          id: row.consentId as string,
          type: 'cookie_banner' as const,
          policyId: policyIdOf(row.declarationRevision),
          policyVersion: String(row.declarationRevision),
          policyHash: row.declarationHash as string,
          isLatestPolicy: row.declarationRevision === latest,
          preferences: revision ? preferencesOf(revision.snapshot, row.state ?? {}) : {},
          givenAt: row.givenAt as string,
        });
      }
      const newest = rows[rows.length - 1];
      const link = await links().findOne({ where: { subjectId: id } });
      return {
        subject: { id, ...(link ? { externalId: link.externalId as string } : {}), createdAt: (first ?? rows[0]).givenAt as string },
        consents: consentsOut,
        // The newest decision still holds: not expired, and given for the declaration in force.
        isValid: newest.expiresAt > now && newest.declarationRevision === latest,
      };
    },

    /**
     * `PATCH /subjects/:id` (c15t's identify): links the site's own id of a signed-in visitor to
     * the browser's subject. Only a subject with a recorded consent can be linked (the link
     * means nothing without one, and an unknown id is most likely a forged one); linking again
     * replaces the link.
     */
    async identify(id: string, body: { externalId: string; identityProvider?: string }) {
      const known = await records().count({ where: { subjectId: id, kind: 'cookie' } });
      if (!known) throw new errors.NotFoundError('No consent recorded for this subject');
      await link(id, body);
      return { success: true as const, subject: { id, externalId: body.externalId } };
    },
  };
  return service;
};

/** The language of a request for the record: Accept-Language's first locale code, if any. */
export const recordLanguage = (acceptLanguage: string | undefined) => {
  const [first] = acceptedLanguages(acceptLanguage);
  return first && isLocaleCode(first) ? first : undefined;
};
