import path from 'path';

// Strapi reads this file from dist/config when the server starts, and from config/ itself when
// `strapi build` bundles the admin: the repository root is three or four levels up.
const fromDist = path.basename(path.dirname(__dirname)) === 'dist';
const repositoryRoot = path.resolve(__dirname, ...(fromDist ? ['..', '..', '..', '..'] : ['..', '..', '..']));

export default ({ env }) => ({
  // The plugin under test, loaded from this repository's build (package.json exports → dist/).
  'privacy-centre': {
    enabled: true,
    resolve: repositoryRoot,
    config: {
      secret: env('PRIVACY_CENTRE_SECRET', 'privacy-centre-test-secret-0123456789abcdef'),
      publicUrl: env('PUBLIC_URL', 'http://localhost:1337'),
      controller: {
        name: 'Northwind Rowing Club ry',
        address: 'Rantatie 1, 00100 Helsinki, Finland',
        email: 'privacy@northwind.example',
        url: 'https://northwind.example',
      },
      cacheTtlSeconds: env.int('PRIVACY_CENTRE_CACHE_TTL', 30),
      installMiddlewares: env.bool('PRIVACY_CENTRE_INSTALL_MIDDLEWARES', true),
      // Tests and benchmarks send many requests from one address; the rate-limit test lowers it.
      rateLimit: { enabled: true, windowSeconds: 60, max: env.int('PRIVACY_CENTRE_RATE_LIMIT_MAX', 100000) },
      // Test hook: tests/integration/config.test.ts boots Strapi with a deliberately wrong config.
      ...JSON.parse(env('PRIVACY_CENTRE_EXTRA_CONFIG', '{}')),
    },
  },
  'users-permissions': {
    config: { jwtSecret: env('JWT_SECRET', 'privacy-centre-test-jwt-secret') },
  },
  email: {
    config: {
      provider: 'nodemailer',
      providerOptions: env('SMTP_PORT')
        ? {
            host: env('SMTP_HOST', '127.0.0.1'),
            port: env.int('SMTP_PORT'),
            secure: false,
            ignoreTLS: true,
            // Reused connections (bench/notice.js): what a site sending many messages configures.
            pool: env.bool('SMTP_POOL', false),
            maxConnections: env.int('SMTP_MAX_CONNECTIONS', 5),
            // Tests sign with a throw-away key and check the signature covers the unsubscribe headers.
            ...(env('DKIM_PRIVATE_KEY')
              ? {
                  dkim: {
                    domainName: env('DKIM_DOMAIN', 'northwind.example'),
                    keySelector: env('DKIM_SELECTOR', 'test'),
                    privateKey: env('DKIM_PRIVATE_KEY'),
                    headerFieldNames: 'From:To:Subject:Date:Message-ID:MIME-Version:Content-Type:List-Unsubscribe:List-Unsubscribe-Post',
                  },
                }
              : {}),
          }
        : // Without an SMTP server (the demo), messages are written as .eml files under .tmp/mail.
          { streamTransport: true, buffer: true, newline: 'unix' },
      settings: {
        defaultFrom: 'privacy@northwind.example',
        defaultReplyTo: 'privacy@northwind.example',
      },
    },
  },
});
