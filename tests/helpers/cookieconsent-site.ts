// What the cookieconsent browser tests share: the README's block, bundled as a site's bundler
// would bundle it (its two imports resolved to the real vanilla-cookieconsent build and the
// plugin's built adapter), and a visitor's page that says why a banner did not show.
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { REPO_ROOT } from './e2e-app';
import { newPage } from './e2e-browser';

export const README_URL = "'https://cms.example.com'";
export const COOKIECONSENT = path.join(REPO_ROOT, 'node_modules', 'vanilla-cookieconsent', 'dist');
export const ADAPTER = path.join(REPO_ROOT, 'dist', 'cookieconsent', 'index.mjs');
export const CLIENT = path.join(REPO_ROOT, 'dist', 'client', 'index.mjs');

/** The code between the README's markers, inside its ```js fence. */
export function readmeBlock(): string {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const block = /<!-- cookieconsent-snippet:start -->\s*```js\n([\s\S]*?)\n```\s*<!-- cookieconsent-snippet:end -->/.exec(readme);
  if (!block) throw new Error('README.md has no ```js block between the cookieconsent-snippet markers');
  return block[1];
}

/** A page's module, bundled as a site's bundler would: the two imports resolved to real builds. */
export async function bundle(contents: string): Promise<string> {
  const result = await build({
    stdin: { contents, resolveDir: REPO_ROOT, loader: 'js' },
    bundle: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    plugins: [
      {
        name: 'site-imports',
        setup(b) {
          // cookieconsent's ESM build, through a shim that also hands the module to the test
          // (window.CookieConsent), which the README's code never needs to do.
          b.onResolve({ filter: /^vanilla-cookieconsent$/ }, () => ({ path: 'cookieconsent-shim', namespace: 'site' }));
          b.onLoad({ filter: /^cookieconsent-shim$/, namespace: 'site' }, () => ({
            resolveDir: REPO_ROOT,
            contents: `import * as CookieConsent from ${JSON.stringify(path.join(COOKIECONSENT, 'cookieconsent.esm.js'))};
globalThis.CookieConsent = CookieConsent;
export * from ${JSON.stringify(path.join(COOKIECONSENT, 'cookieconsent.esm.js'))};`,
          }));
          b.onResolve({ filter: /^strapi-plugin-privacy-centre\/cookieconsent$/ }, () => ({ path: ADAPTER }));
        },
      },
    ],
  });
  return result.outputFiles[0].text;
}

export const banner = (page: Page) => page.locator('#cc-main .cm');
export const preferences = (page: Page) => page.locator('#cc-main .pm');
/** The receipt the adapter keeps in cookieconsent's cookie. */
export const heldReceipt = (page: Page) => page.evaluate(() => (globalThis as any).CookieConsent?.getCookie('data')?.receipt ?? null);

/** A visitor's page: a person (cookieconsent hides its banner from browsers that say they are automated). */
export async function visitor(browser: Browser, contexts: BrowserContext[]) {
  const { page, errors } = await newPage(browser, contexts);
  await page.context().addInitScript(() => Object.defineProperty((globalThis as any).Navigator.prototype, 'webdriver', { get: () => false }));
  const consoleErrors: string[] = [];
  page.on('console', (m) => ['error', 'warning'].includes(m.type()) && consoleErrors.push(m.text()));
  // The page's module fails silently: a missing banner says why through the console.
  const shown = (locator: ReturnType<Page['locator']>) =>
    locator.waitFor({ state: 'visible', timeout: 10_000 }).catch((error) => {
      throw new Error(`${error.message}\npage errors: ${JSON.stringify(errors)}\nconsole: ${JSON.stringify(consoleErrors)}`);
    });
  return { page, errors, consoleErrors, shown };
}
