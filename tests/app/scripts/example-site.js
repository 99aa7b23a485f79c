/**
 * The demo's example site (`npm run demo` starts it next to Strapi): a small plain HTML/CSS site of
 * another origin whose pages use the plugin as a site would (tests/app/example-site):
 *   /            cookieconsent v3's banner through `connectCookieConsent` (…/cookieconsent)
 *   /privacy     the privacy policy rendered with the client (`createPrivacyCentre`, …/client)
 *   /newsletter  a sign-up form (`pc.newsletter.subscribe`)
 *   /c15t        c15t's headless runtime in hosted mode against /api/privacy-centre/c15t
 *
 * The page scripts are bundled with esbuild when the site starts, from their sources, with the
 * package's subpath imports resolved to this repository's sources (as a site's bundler resolves
 * them to the installed package). A page whose part of the plugin is not in this build (its
 * source file, or for c15t the backend's route) shows a note saying so instead of failing.
 *
 * Run alone against a running Strapi: `node tests/app/scripts/example-site.js http://127.0.0.1:1337`.
 */
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const SITE_DIR = path.resolve(__dirname, '..', 'example-site');
const COOKIECONSENT_DIST = path.join(REPO_ROOT, 'node_modules', 'vanilla-cookieconsent', 'dist');

/** The package's subpath exports a page may import, and the source each resolves to here. */
const PACKAGE_SOURCES = {
  'strapi-plugin-privacy-centre/client': path.join(REPO_ROOT, 'server', 'src', 'client', 'index.ts'),
  'strapi-plugin-privacy-centre/cookieconsent': path.join(REPO_ROOT, 'server', 'src', 'client', 'cookieconsent.ts'),
};
const PACKAGE_NAMES = {
  'strapi-plugin-privacy-centre/client': 'the client',
  'strapi-plugin-privacy-centre/cookieconsent': 'the cookieconsent adapter',
};

/** The pages: their path, HTML file, script, and what of the plugin they need. */
const PAGES = [
  { path: '/', file: 'index.html', script: 'home', needs: ['strapi-plugin-privacy-centre/cookieconsent'], title: 'cookieconsent banner' },
  { path: '/privacy', file: 'privacy.html', script: 'privacy', needs: ['strapi-plugin-privacy-centre/client'], title: 'privacy policy (client)' },
  { path: '/newsletter', file: 'newsletter.html', script: 'newsletter', needs: ['strapi-plugin-privacy-centre/client'], title: 'newsletter form' },
  { path: '/c15t', file: 'c15t.html', script: 'c15t', needs: [], backendRoute: '/api/privacy-centre/c15t/init', title: 'c15t (hosted mode)' },
];

const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

/** A page script that only says what is missing (and disables what would not work). */
const unavailableScript = (what) =>
  `document.getElementById('app').innerHTML = ${JSON.stringify(
    `<p class="note"><strong>Not available in this build:</strong> ${escapeHtml(what)}.</p>`
  )};\ndocument.querySelectorAll('main button').forEach((button) => { button.disabled = true; });\n`;

/** esbuild resolves the package's subpath imports to the repository's sources. */
const packageSources = {
  name: 'privacy-centre-sources',
  setup(build) {
    const filter = new RegExp(`^(${Object.keys(PACKAGE_SOURCES).map((s) => s.replace(/[/.-]/g, '\\$&')).join('|')})$`);
    build.onResolve({ filter }, (args) => ({ path: PACKAGE_SOURCES[args.path] }));
  },
};

/** Whether Strapi serves a route (anything but a 404 means the plugin has it). */
async function serves(strapiUrl, route) {
  try {
    const response = await fetch(`${strapiUrl}${route}`, { headers: { origin: 'http://example-site.invalid' } });
    await response.arrayBuffer();
    return response.status !== 404;
  } catch {
    return false;
  }
}

/**
 * Bundles each page's script; returns { assets: name → JS text, notes: page title → why missing }.
 */
async function bundlePages(strapiUrl) {
  const esbuild = require('esbuild');
  const assets = {};
  const notes = {};
  for (const page of PAGES) {
    const missing = page.needs.filter((specifier) => !fs.existsSync(PACKAGE_SOURCES[specifier]));
    if (missing.length) {
      notes[page.title] = missing.map((m) => `${PACKAGE_NAMES[m]} (${path.relative(REPO_ROOT, PACKAGE_SOURCES[m])}) is not in this checkout`).join('; ');
    } else if (page.backendRoute && !(await serves(strapiUrl, page.backendRoute))) {
      notes[page.title] = `the plugin's c15t backend (${page.backendRoute} answers 404)`;
    }
    if (notes[page.title]) {
      assets[`${page.script}.js`] = unavailableScript(notes[page.title]);
      continue;
    }
    const result = await esbuild.build({
      entryPoints: [path.join(SITE_DIR, 'src', `${page.script}.js`)],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      // Top-level await in the page scripts.
      target: 'es2022',
      define: { 'process.env.STRAPI_URL': JSON.stringify(strapiUrl), 'process.env.NODE_ENV': '"production"' },
      plugins: [packageSources],
      nodePaths: [path.join(REPO_ROOT, 'node_modules')],
      legalComments: 'none',
      logLevel: 'silent',
    });
    assets[`${page.script}.js`] = result.outputFiles[0].text;
  }
  return { assets, notes };
}

function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    const onError = (error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError).once('listening', onListening);
    server.listen(port, host);
  });
}

/**
 * Bundles the pages and serves the site. `port`: that port exactly (0: any); otherwise the first free one
 * from `firstPort` up. Resolves with { url, notes, close }.
 */
async function startExampleSite({ strapiUrl, host = '127.0.0.1', port, firstPort = 1338 }) {
  const { assets, notes } = await bundlePages(strapiUrl);
  const files = new Map();
  for (const page of PAGES) files.set(page.path, ['text/html; charset=utf-8', fs.readFileSync(path.join(SITE_DIR, page.file))]);
  files.set('/site.css', ['text/css; charset=utf-8', fs.readFileSync(path.join(SITE_DIR, 'site.css'))]);
  files.set('/assets/cookieconsent.css', ['text/css; charset=utf-8', fs.readFileSync(path.join(COOKIECONSENT_DIST, 'cookieconsent.css'))]);
  for (const [name, text] of Object.entries(assets)) files.set(`/assets/${name}`, ['text/javascript; charset=utf-8', text]);

  const server = http.createServer((req, res) => {
    let pathname;
    try {
      pathname = new URL(req.url ?? '/', 'http://site').pathname;
    } catch {
      pathname = null;
    }
    const file = pathname !== null && (req.method === 'GET' || req.method === 'HEAD') ? files.get(pathname.replace(/(.)\/$/, '$1')) : undefined;
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    res.writeHead(200, { 'content-type': file[0], 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    res.end(req.method === 'HEAD' ? undefined : file[1]);
  });
  if (port !== undefined) await listen(server, port, host);
  else {
    for (let candidate = firstPort; ; candidate += 1) {
      try {
        await listen(server, candidate, host);
        break;
      } catch (error) {
        if (error.code !== 'EADDRINUSE' || candidate > firstPort + 50) throw error;
      }
    }
  }
  const { port: bound } = server.address();
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${bound}`,
    pages: PAGES.map(({ path: p, title }) => ({ path: p, title })),
    notes,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

module.exports = { startExampleSite, PAGES };

if (require.main === module) {
  const strapiUrl = (process.argv[2] || process.env.STRAPI_URL || 'http://127.0.0.1:1337').replace(/\/+$/, '');
  startExampleSite({ strapiUrl, port: Number(process.env.EXAMPLE_PORT) || undefined })
    .then((site) => {
      console.log(`example site for ${strapiUrl}: ${site.url}`);
      for (const [page, why] of Object.entries(site.notes)) console.log(`  ${page}: not available in this build: ${why}`);
    })
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
