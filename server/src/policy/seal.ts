import { hashContent } from './canonical';
import type { ControllerIdentity, LocaleContent, PolicySection } from './types';

/** Everything a published version's hash covers: what visitors are shown, in every locale. */
export interface SealInput {
  slug: string;
  version: number;
  effectiveAt: string;
  publishedAt: string;
  materialChange: boolean;
  /** Sealed since 0.2; null for a version published before, whose hash does not cover it. */
  controller: ControllerIdentity | null;
  locales: Record<string, { title: string; summary?: string | null; sections?: PolicySection[] | null }>;
}

/**
 * The canonical content a version's `hash` seals: the README's "How a version is hashed".
 * Sections are projected to {anchor, heading, markdown}, exactly what the public answers carry,
 * so anyone can recompute the hash from the public answers of every locale.
 */
export function sealedContent(input: SealInput) {
  const locales: Record<string, LocaleContent> = {};
  for (const [code, content] of Object.entries(input.locales)) {
    locales[code] = {
      title: content.title,
      summary: content.summary ?? '',
      sections: (content.sections ?? []).map(({ anchor, heading, markdown }) => ({ anchor, heading, markdown })),
    };
  }
  const { controller } = input;
  return {
    slug: input.slug,
    version: input.version,
    effectiveAt: input.effectiveAt,
    publishedAt: input.publishedAt,
    materialChange: input.materialChange,
    ...(controller
      ? { controller: { name: controller.name, address: controller.address, email: controller.email, url: controller.url } }
      : {}),
    locales,
  };
}

/**
 * What a version's signature covers: its hash (all it shows) and its lifecycle, so that a
 * version in force cannot be made "withdrawn" below the plugin without failing its check.
 */
export const sealedText = (hash: string, lifecycle: string) => `${hash}:${lifecycle}`;

/** SHA-256 (hex) of the canonical JSON (RFC 8785) of `sealedContent(input)`. */
export const sealHash = (input: SealInput): string => hashContent(sealedContent(input));
