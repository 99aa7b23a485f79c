import { winston, formats } from '@strapi/logger';

// The test harness sets STRAPI_LOG_LEVEL=warn so test output stays readable.
export default {
  transports: [
    new winston.transports.Console({
      level: process.env.STRAPI_LOG_LEVEL || 'info',
      format: formats.prettyPrint({ timestamps: 'YYYY-MM-DD HH:mm:ss.SSS' }),
    }),
  ],
};
