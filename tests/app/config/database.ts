import path from 'path';

/**
 * DATABASE_CLIENT chooses the database: sqlite (default), postgres or mysql, with the usual
 * DATABASE_* variables. The test harness sets DATABASE_FILENAME / DATABASE_NAME per test file.
 */
export default ({ env }) => {
  const client = env('DATABASE_CLIENT', 'sqlite');
  const pool = { min: env.int('DATABASE_POOL_MIN', 0), max: env.int('DATABASE_POOL_MAX', 10) };

  const connections = {
    sqlite: {
      connection: {
        // Relative to tests/app, whether this file runs from config/ or dist/config.
        filename: path.resolve(
          __dirname,
          ...(path.basename(path.dirname(__dirname)) === 'dist' ? ['..', '..'] : ['..']),
          env('DATABASE_FILENAME', '.tmp/data.db')
        ),
      },
      useNullAsDefault: true,
    },
    postgres: {
      connection: {
        host: env('DATABASE_HOST', '127.0.0.1'),
        port: env.int('DATABASE_PORT', 5432),
        database: env('DATABASE_NAME', 'test'),
        user: env('DATABASE_USERNAME', 'postgres'),
        password: env('DATABASE_PASSWORD', ''),
        schema: env('DATABASE_SCHEMA', 'public'),
      },
      pool,
    },
    mysql: {
      connection: {
        host: env('DATABASE_HOST', '127.0.0.1'),
        port: env.int('DATABASE_PORT', 3306),
        database: env('DATABASE_NAME', 'test'),
        user: env('DATABASE_USERNAME', 'root'),
        password: env('DATABASE_PASSWORD', ''),
      },
      pool,
    },
  };

  return {
    connection: { client, ...connections[client], acquireConnectionTimeout: 60000 },
  };
};
