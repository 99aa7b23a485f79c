// The keyring: every key the plugin signs, links and pseudonymises with, kept in the database
// sealed under the configured `secret` (and each of `previousSecrets`), so that neither a copy of
// the database nor a leaked environment alone reveals a private key. Pure (node:crypto only).
//
// - Proofs (receipts, policy seals, declaration revisions, newsletter events, evidence bundles)
//   are Ed25519 signatures naming their key (`kid`). Rotating the secret makes a new key pair and
//   retires the old one; every public key ever used stays in `publicKeys` and is published (JWKS),
//   so every proof stays checkable by anyone, forever.
// - Link tokens (confirm, unsubscribe, self-service requests) are HMACs under a link key. Rotation
//   adds a new link key and keeps the old ones, so links in messages already sent keep working.
// - Pseudonyms (the keyed hash of an address) use one key that rotation never changes, so a
//   person is found, exported and erased by address after any number of rotations.
// - Secrets configured before the keyring existed are kept as `legacySecrets`: they made the
//   HMAC proofs, links and pseudonyms of that time, which must keep verifying and matching.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';

export interface PublicKeyEntry {
  kid: string;
  /** The Ed25519 public key (JWK `x`, base64url). */
  x: string;
  createdAt: string;
  retiredAt: string | null;
}

/** What the sealed part of the keyring holds. Never leaves the server. */
export interface PrivateKeys {
  /** The current signing key: its kid and PKCS#8 DER (base64). Retired private keys are dropped. */
  signing: { kid: string; pkcs8: string };
  /** HMAC keys for link tokens, newest (the one that signs) first. */
  linkKeys: string[];
  /** The pseudonym key: never changes. */
  pseudonymKey: string;
  /** The secrets in use before the keyring existed (see the file comment). */
  legacySecrets: string[];
  /**
   * When the legacy secrets stopped signing proofs (the keyring's creation): a legacy HMAC proof
   * made later is refused. Sealed, so that a write to the database cannot move it.
   */
  legacyUntil: string | null;
  /**
   * Every public key ever used. The stored, readable copy (`StoredKeyring.publicKeys`) is for
   * people and tools; this sealed one is what verifies, so a key written into the database
   * below the plugin never makes a forged proof pass.
   */
  publicKeys: PublicKeyEntry[];
}

export interface StoredKeyring {
  format: 'privacy-centre-keyring/1';
  publicKeys: PublicKeyEntry[];
  /**
   * The id of the secret that made the current signing key. Only an instance configured with it
   * may reseal the keyring: one still on an older secret (a rolling deploy) opens it and leaves
   * it alone, instead of undoing the rotation.
   */
  sealedBy?: string;
  /** The private part, sealed once per secret, by the secret's id (see `secretId`). */
  sealed: Record<string, string>;
}

/** An opened keyring: what a running instance signs and verifies with. */
export interface Keyring {
  stored: StoredKeyring;
  keys: PrivateKeys;
  signingKey: KeyObject;
  publicKeys: Map<string, KeyObject>;
}

/**
 * A key's id: the first 16 characters of its RFC 7638 JWK thumbprint (SHA-256, base64url). Short
 * so that `kid.signature` fits the 128-character signature columns; 96 bits tell keys apart.
 */
export const kidOf = (x: string) =>
  createHash('sha256').update(JSON.stringify({ crv: 'Ed25519', kty: 'OKP', x })).digest('base64url').slice(0, 16);

/** A secret's id, naming which secret sealed a copy without revealing anything of the secret. */
export const secretId = (secret: string) =>
  createHmac('sha256', secret).update('privacy-centre:secret-id').digest('base64url').slice(0, 16);

const sealKey = (secret: string, salt: Buffer) =>
  Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), salt, 'privacy-centre:keyring', 32));

/** AES-256-GCM under a key derived from the secret (HKDF, random salt): `salt.iv.tag.ciphertext`. */
export function seal(secret: string, keys: PrivateKeys): string {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealKey(secret, salt), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(keys), 'utf8'), cipher.final()]);
  return [salt, iv, cipher.getAuthTag(), body].map((part) => part.toString('base64url')).join('.');
}

/** The private keys sealed under `secret`, or null when it is not that secret (or was altered). */
export function unseal(secret: string, sealed: unknown): PrivateKeys | null {
  if (typeof sealed !== 'string') return null;
  const [salt, iv, tag, body] = sealed.split('.').map((part) => Buffer.from(part, 'base64url'));
  // The whole 16-byte tag, or nothing: Node would otherwise accept a tag cut to 4 bytes.
  if (!salt || !iv || !body || tag?.length !== 16) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', sealKey(secret, salt), iv, { authTagLength: 16 });
    decipher.setAuthTag(tag);
    return JSON.parse(Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8'));
  } catch {
    return null;
  }
}

const newSigningKey = (now: string): { entry: PublicKeyEntry; signing: PrivateKeys['signing'] } => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const x = publicKey.export({ format: 'jwk' }).x as string;
  const kid = kidOf(x);
  return {
    entry: { kid, x, createdAt: now, retiredAt: null },
    signing: { kid, pkcs8: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64') },
  };
};

const newSecretKey = () => randomBytes(32).toString('base64url');

/** Seals `keys` once under each secret, replacing every earlier copy (a dropped secret's too). */
const sealedFor = (secrets: readonly string[], keys: PrivateKeys) =>
  Object.fromEntries(secrets.map((secret) => [secretId(secret), seal(secret, keys)]));

/**
 * A new keyring. `legacySecrets` are the secrets of an installation that signed with them before
 * (empty for a new one): the first of them becomes the pseudonym key, so that every keyed hash
 * already stored keeps matching.
 */
export function createKeyring(secrets: readonly string[], legacySecrets: readonly string[], now: string): StoredKeyring {
  const { entry, signing } = newSigningKey(now);
  const keys: PrivateKeys = {
    signing,
    linkKeys: [newSecretKey()],
    pseudonymKey: legacySecrets[0] ?? newSecretKey(),
    legacySecrets: [...legacySecrets],
    legacyUntil: legacySecrets.length ? now : null,
    publicKeys: [entry],
  };
  return {
    format: 'privacy-centre-keyring/1',
    publicKeys: [entry],
    sealedBy: secretId(secrets[0]),
    sealed: sealedFor(secrets, keys),
  };
}

export type Opening =
  | { ok: true; keys: PrivateKeys; openedWith: string }
  | { ok: false };

/** Opens the keyring with the first of `secrets` that sealed a copy. */
export function openKeyring(stored: StoredKeyring, secrets: readonly string[]): Opening {
  for (const secret of secrets) {
    const sealed = stored.sealed[secretId(secret)];
    const keys = sealed ? unseal(secret, sealed) : null;
    if (keys) return { ok: true, keys, openedWith: secret };
  }
  return { ok: false };
}

/**
 * A new signing key and link key (the old signing key retired, its public half kept for good; old
 * link keys kept so that links already sent still work; the pseudonym key unchanged), sealed
 * under `secrets` only.
 */
export function rotateKeyring(stored: StoredKeyring, keys: PrivateKeys, secrets: readonly string[], now: string): { stored: StoredKeyring; keys: PrivateKeys } {
  const { entry, signing } = newSigningKey(now);
  const publicKeys = [...keys.publicKeys.map((key) => (key.retiredAt ? key : { ...key, retiredAt: now })), entry];
  const next: PrivateKeys = { ...keys, signing, linkKeys: [newSecretKey(), ...keys.linkKeys], publicKeys };
  return { stored: { ...stored, publicKeys, sealedBy: secretId(secrets[0]), sealed: sealedFor(secrets, next) }, keys: next };
}

/** The same keys sealed under exactly `secrets` (after one was added or dropped). */
export const resealKeyring = (stored: StoredKeyring, keys: PrivateKeys, secrets: readonly string[]): StoredKeyring => ({
  ...stored,
  sealed: sealedFor(secrets, keys),
});

/** Whether the stored copies are exactly one per secret in `secrets`. */
export const sealedExactlyFor = (stored: StoredKeyring, secrets: readonly string[]) => {
  const wanted = new Set(secrets.map(secretId));
  const have = Object.keys(stored.sealed);
  return have.length === wanted.size && have.every((id) => wanted.has(id));
};

export function loadKeyring(stored: StoredKeyring, keys: PrivateKeys): Keyring {
  return {
    stored,
    keys,
    signingKey: createPrivateKey({ key: Buffer.from(keys.signing.pkcs8, 'base64'), format: 'der', type: 'pkcs8' }),
    publicKeys: new Map(keys.publicKeys.map((key) => [key.kid, publicKeyOf(key.x)])),
  };
}

export const publicKeyOf = (x: string): KeyObject => createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });

/** The JWK Set of every public key ever used: what `GET /keys` serves (from the sealed list). */
export const jwksOf = (keys: PrivateKeys) => ({
  keys: keys.publicKeys.map(({ kid, x, createdAt, retiredAt }) => ({
    kty: 'OKP' as const,
    crv: 'Ed25519' as const,
    x,
    kid,
    use: 'sig' as const,
    alg: 'EdDSA' as const,
    createdAt,
    retiredAt,
  })),
});

/** Checks the shape of a stored keyring (read from the database: never trusted blindly). */
export function isStoredKeyring(value: unknown): value is StoredKeyring {
  const v = value as StoredKeyring;
  return (
    typeof v === 'object' &&
    v !== null &&
    v.format === 'privacy-centre-keyring/1' &&
    Array.isArray(v.publicKeys) &&
    v.publicKeys.every((k) => typeof k?.kid === 'string' && typeof k.x === 'string' && kidOf(k.x) === k.kid) &&
    typeof v.sealed === 'object' &&
    v.sealed !== null &&
    Object.values(v.sealed).every((sealed) => typeof sealed === 'string')
  );
}
