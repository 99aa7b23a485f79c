import { randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { PrivacyCentreConfig } from '../config';
import {
  createKeyring,
  isStoredKeyring,
  jwksOf,
  loadKeyring,
  openKeyring,
  resealKeyring,
  rotateKeyring,
  sealedExactlyFor,
  secretId,
  type Keyring,
  type StoredKeyring,
} from '../keys/keyring';
import { canonicalJson } from '../policy/canonical';
import { kidOfSignature, signProof, signText, verifyProof, verifyText, type ProofVerifier, type Purpose } from '../signing';

const STORE_KEY = 'plugin_privacy-centre_keyring';
const CORE_STORE = 'strapi::core-store';
/** How often an instance may re-read the keyring when it meets a key another instance made. */
const REFRESH_MS = 5000;

/** Tables whose rows were signed, linked or pseudonymised with the secret before the keyring. */
const SIGNED_TABLES = [
  'privacy_centre_consent_records',
  'privacy_centre_policy_versions',
  'privacy_centre_cookie_declarations',
  'privacy_centre_newsletter_subscriptions',
  'privacy_centre_data_subject_requests',
];

/**
 * The keys of the plugin (see keys/keyring): opened at boot with the configured `secret` (or a
 * previous one, which rotates them), kept in the database sealed under every configured secret.
 * Every signature, link token and keyed pseudonym is made here.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  let secret: string | undefined;
  let ring: Keyring | undefined;
  let refreshedAt = 0;
  let unknownKidSeen = false;
  /** This instance rotated the keys at boot: the others are told (services/generations, topic `keys`). */
  let rotatedHere = false;
  const config = () => strapi.config.get('plugin::privacy-centre') as PrivacyCentreConfig;
  const pluginStore = () => strapi.store({ type: 'plugin', name: 'privacy-centre' });
  const rows = () => strapi.db.query(CORE_STORE);
  const opened = (): Keyring => {
    if (!ring) throw new Error('privacy-centre: the keys are read before bootstrap');
    return ring;
  };
  /** The configured secrets, current first. */
  const secrets = (): string[] => [...new Set([secret!, ...config().previousSecrets])];

  const readRow = async (): Promise<{ id: number; value: string } | null> => {
    const found = await rows().findMany({ where: { key: STORE_KEY }, orderBy: [{ id: 'asc' }] });
    // Two instances creating the keyring at once: the first row wins, the others are removed.
    if (found.length > 1) await rows().deleteMany({ where: { key: STORE_KEY, id: { $gt: found[0].id } } });
    return found[0] ?? null;
  };
  const parse = (value: string): StoredKeyring => {
    let stored: unknown;
    try {
      stored = JSON.parse(value);
    } catch {
      stored = null;
    }
    if (!isStoredKeyring(stored)) {
      throw new Error('privacy-centre: the keyring in the database is damaged; restore `plugin_privacy-centre_keyring` of strapi_core_store_settings from a backup.');
    }
    return stored;
  };
  /** Writes `next` only if the row still holds `previous` (another instance may be booting). */
  const replace = async (id: number, previous: string, next: StoredKeyring) =>
    (await rows().updateMany({ where: { id, value: previous }, data: { value: JSON.stringify(next) } })).count === 1;

  /** Whether any proof in the database names a key (`kid.`): made with a keyring. */
  const hasEd25519Proofs = async () => {
    const knex = strapi.db.connection;
    for (const table of SIGNED_TABLES.slice(0, 3)) {
      if ((await knex.schema.hasTable(table)) && (await knex(table).select('id').where('signature', 'like', '%.%').first())) return true;
    }
    return false;
  };

  const hasSignedData = async () => {
    const knex = strapi.db.connection;
    for (const table of SIGNED_TABLES) {
      if ((await knex.schema.hasTable(table)) && (await knex(table).select('id').first())) return true;
    }
    return false;
  };

  /** Opens (creating, rotating or resealing as needed) the keyring; true once it is settled. */
  const settle = async (): Promise<boolean> => {
    const now = new Date().toISOString();
    const row = await readRow();
    if (!row) {
      if (await hasEd25519Proofs()) {
        throw new Error(
          'privacy-centre: the keyring is missing from the database, but proofs signed with it are there. ' +
            'Restore `plugin_privacy-centre_keyring` of strapi_core_store_settings from a backup: a new keyring would leave ' +
            'every seal, receipt, link and pseudonym made so far unverifiable.'
        );
      }
      const legacy = (await hasSignedData()) ? secrets() : [];
      await rows().create({ data: { key: STORE_KEY, value: JSON.stringify(createKeyring(secrets(), legacy, now)), type: 'object', environment: null, tag: null } });
      return false; // read back: another instance may have created it first
    }
    const stored = parse(row.value);
    const opening = openKeyring(stored, secrets());
    if (!opening.ok) {
      throw new Error(
        'privacy-centre: the keyring is sealed under a secret that is neither `secret` nor in `previousSecrets`. ' +
          'Put the secret in use before into `previousSecrets` and restart (see "Rotating the secret" in the README).'
      );
    }
    if (opening.openedWith !== secret) {
      const rotated = rotateKeyring(stored, opening.keys, secrets(), now);
      if (!(await replace(row.id, row.value, rotated.stored))) return false;
      ring = loadKeyring(rotated.stored, rotated.keys);
      rotatedHere = true;
      const retired = opening.keys.signing.kid;
      strapi.log.info(`[privacy-centre] the secret changed: new signing key ${rotated.keys.signing.kid}, ${retired} retired (still published)`);
      await strapi.plugin('privacy-centre').service('audit').record(null, 'keys.rotate', 'signing keys', { kid: rotated.keys.signing.kid, retired });
      return true;
    }
    // Only the instance configured with the secret of the current signing key reseals: one still
    // on an older secret (listed alongside) must not drop the newer secret's copy.
    const primary = !stored.sealedBy || stored.sealedBy === secretId(secret!);
    if (primary && !sealedExactlyFor(stored, secrets())) {
      const resealed = resealKeyring(stored, opening.keys, secrets());
      if (!(await replace(row.id, row.value, resealed))) return false;
      ring = loadKeyring(resealed, opening.keys);
      return true;
    }
    ring = loadKeyring(stored, opening.keys);
    return true;
  };

  const service = {
    async ensure(): Promise<void> {
      secret = config().secret;
      if (!secret) {
        let stored = (await pluginStore().get({ key: 'development-secret' })) as string | null;
        if (!stored) {
          stored = randomBytes(32).toString('base64url');
          await pluginStore().set({ key: 'development-secret', value: stored });
        }
        secret = stored;
        strapi.log.warn(
          '[privacy-centre] no `secret` configured: using a generated development secret kept in the store. ' +
            'Set one in config/plugins.ts (e.g. env("PRIVACY_CENTRE_SECRET")) before production.'
        );
      }
      for (let attempt = 0; attempt < 10; attempt += 1) {
        if (await settle()) {
          refreshedAt = Date.now();
          // The instances running already learn the new public key within a second rather than
          // at their next minute's re-read (which services/generations still does, as a net).
          if (rotatedHere) await strapi.plugin('privacy-centre').service('generations').bump('keys');
          return;
        }
      }
      throw new Error('privacy-centre: the keyring kept changing while this instance booted; restart it.');
    },

    /**
     * Re-reads the keyring when a signature named a key this instance has not seen (made by an
     * instance that booted later with a new secret); at most every few seconds.
     */
    async refresh(): Promise<boolean> {
      if (!unknownKidSeen) return false;
      return service.reload();
    },

    /**
     * Re-reads the keyring (at most every few seconds, unless `force`: another instance said it
     * rotated): keys made by newer instances become known.
     */
    async reload({ force = false }: { force?: boolean } = {}): Promise<boolean> {
      if (!ring) return false;
      if (!force && Date.now() - refreshedAt < REFRESH_MS) return false;
      unknownKidSeen = false;
      refreshedAt = Date.now();
      const row = await readRow();
      if (!row) return false;
      const stored = parse(row.value);
      const opening = openKeyring(stored, secrets());
      if (!opening.ok) return false;
      // The signing key stays this instance's own until it restarts.
      ring = loadKeyring(stored, { ...opening.keys, signing: opened().keys.signing });
      return true;
    },

    /** Runs `check`; if it fails on a key unknown here, once more after re-reading the keyring. */
    async recheck<T>(check: () => T, passed: (result: T) => boolean): Promise<T> {
      const result = check();
      if (passed(result) || !(await service.refresh())) return result;
      return check();
    },

    /** Signs a proof: Ed25519 with the current key, `kid.signature`. */
    sign(purpose: Purpose, text: string): string {
      const { keys, signingKey } = opened();
      return signProof(keys.signing.kid, signingKey, purpose, text);
    },
    signJson(purpose: Purpose, value: unknown): string {
      return service.sign(purpose, canonicalJson(value));
    },

    /**
     * Checks a proof's signature: Ed25519 by any key ever published; or, for a proof made before
     * the keyring (`madeAt` up to `legacyUntil`), an HMAC by one of the secrets of that time.
     */
    verify: ((purpose, text, signature, madeAt) => {
      const { keys, publicKeys } = opened();
      const kid = kidOfSignature(signature);
      if (kid !== null) {
        if (!publicKeys.has(kid)) unknownKidSeen = true;
        return verifyProof(publicKeys, purpose, text, signature);
      }
      const { legacyUntil } = keys;
      if (!legacyUntil || typeof madeAt !== 'string' || !(madeAt <= legacyUntil)) return false;
      return verifyText(keys.legacySecrets, purpose, text, signature) >= 0;
    }) as ProofVerifier,

    /** Until when proofs were HMACs by the secrets of before the keyring (null: never). */
    legacyUntil(): string | null {
      return opened().keys.legacyUntil;
    },

    /** Whether a signature is an Ed25519 one (a legacy HMAC is renewed at boot where it may be). */
    isCurrentScheme: (signature: unknown) => kidOfSignature(signature) !== null,

    /** The key that signs new link tokens. */
    linkKey(): string {
      return opened().keys.linkKeys[0];
    },
    /** Every key a link token may have been signed with: links already sent keep working. */
    linkKeys(): string[] {
      const { keys } = opened();
      return [...keys.linkKeys, ...keys.legacySecrets];
    },

    /**
     * The keyed pseudonyms of `text` (an address): the one made now first, then those made with
     * the secrets of before the keyring, so rows hashed then are still found.
     */
    pseudonyms(purpose: Purpose, text: string): string[] {
      const { keys } = opened();
      return [...new Set([keys.pseudonymKey, ...keys.legacySecrets].map((key) => signText(key, purpose, text)))];
    },

    /** The JWK Set of every public key ever used. */
    jwks() {
      return jwksOf(opened().keys);
    },
  };
  return service;
};
