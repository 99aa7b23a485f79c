import type { Core } from '@strapi/strapi';
import { escapeRegExp, restPrefix } from './paths';

export const BODY_GUARD_MIDDLEWARE = 'plugin::privacy-centre.body-guard';

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * The largest request body each of the plugin's routes accepts, checked against
 * `Content-Length` before `strapi::body` reads anything (a body sent without a length is
 * still bounded by strapi::body's own limits, 1 MB of JSON by default). The README lists them.
 */
export const BODY_LIMITS = {
  /** Admin: policy drafts and imports (a whole policy in every locale; import text ≤ 1,000,000 characters). */
  adminPolicies: 1 * MiB,
  /** Admin: everything else (settings, actions). */
  admin: 64 * KiB,
  /** Public routes of the plugin. */
  public: 16 * KiB,
} as const;

export const reply = (ctx: any, status: number, name: string, message: string, details: Record<string, unknown> = {}) => {
  ctx.status = status;
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { data: null, error: { status, name, message, details } };
};

/**
 * zlib's errors (Z_DATA_ERROR, Z_BUF_ERROR, ERR__ERROR_FORMAT_… for brotli), raised while inflating
 * a request body. koa-body re-wraps a throwable that is not an `Error` of its own realm (as under
 * jest's sandbox) in an Error whose message is the original as JSON: that form is read too.
 */
const ZLIB_CODE = /^(?:Z_|ERR__ERROR|ERR_BROTLI)/;
const isEncodingError = (error: unknown) => {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (ZLIB_CODE.test(String(code ?? ''))) return true;
  const wrapped = /^\{.*"code":"([A-Z_0-9]+)"/.exec(String(message ?? ''));
  return wrapped !== null && ZLIB_CODE.test(wrapped[1]);
};

/**
 * The status a body parser's own error means (co-body sets `status`, formidable `httpCode`), when
 * it is a client error: a malformed or oversized body. Strapi answers those with a 500.
 */
export const bodyErrorStatus = (error: unknown): number | null => {
  const { status, statusCode, httpCode, expose } = (error ?? {}) as Record<string, unknown>;
  const code = [httpCode, status, statusCode].find((c) => typeof c === 'number') as number | undefined;
  if (code !== undefined && code >= 400 && code < 500) return code;
  // A body that its Content-Encoding (gzip, deflate, br) does not decode: zlib's error, without a status.
  if (isEncodingError(error)) return 400;
  // formidable reports some malformed multipart bodies without a code.
  const message = String((error as Error)?.message ?? '');
  if (expose === undefined && /multipart|boundary|Unexpected end of form|MultipartParser/i.test(message)) return 400;
  return null;
};

/**
 * How long `strapi::body` may take to parse a multipart body once the whole of it has arrived.
 * Its parser (formidable 2, through koa-body) stops without a word at some malformed bodies
 * (part lines ended by LF alone, not CRLF; a header name that is empty or holds a character other
 * than a letter or `-`) and then waits for ever: the request had no answer until Node's
 * `requestTimeout` (300 s) ended it. A well-formed body is parsed within microseconds of its last
 * byte (a file part: once written to the temporary directory), so a second is ample.
 */
export const MULTIPART_PARSE_GRACE_MS = 1000;

/**
 * Resolves `stalled` when the request body has been read to its end and `strapi::body` has still
 * not set `ctx.request.body` (koa-body sets it as soon as formidable has parsed a body) after
 * MULTIPART_PARSE_GRACE_MS. `stop` clears the timer and the listener.
 */
const watchMultipartParsing = (ctx: any) => {
  const request = ctx.req as NodeJS.ReadableStream & { readableEnded?: boolean };
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stalledNow: () => void = () => {};
  const stalled = new Promise<'stalled'>((resolve) => {
    stalledNow = () => resolve('stalled');
  });
  const arm = () => {
    timer = setTimeout(() => {
      if (ctx.request.body === undefined) stalledNow();
    }, MULTIPART_PARSE_GRACE_MS);
  };
  if (request.readableEnded) arm();
  else request.once('end', arm);
  return {
    stalled,
    stop: () => {
      clearTimeout(timer);
      request.removeListener('end', arm);
    },
  };
};

/**
 * Once a stalled parse has been answered, the body it might still produce must never reach a
 * route: koa-body's assignment of it throws instead (the error ends that request's chain; the
 * guard has answered already and drops it).
 */
const refuseLateBody = (ctx: any) => {
  Object.defineProperty(ctx.request, 'body', {
    configurable: true,
    get: () => undefined,
    set: () => {
      throw new Error('privacy-centre body guard: this request was answered already (its multipart body did not parse in time)');
    },
  });
};

/**
 * Listed by an app as `{ name: 'plugin::privacy-centre.body-guard', config: { allRoutes: true } }`,
 * it also answers malformed bodies on every other route with a 400 (no size limit of its own
 * there: strapi::body's limits apply).
 */
export interface BodyGuardConfig {
  allRoutes?: boolean;
}

/**
 * On the plugin's own paths (admin and public):
 * - refuses a request body larger than its route accepts with a 413 in Strapi's error shape,
 *   before it is read;
 * - answers a body that `strapi::body` cannot parse (malformed JSON, form or multipart) with a 400
 *   that says so, where Strapi would answer 500 (it runs ahead of strapi::body, so the parser's
 *   error passes through it first);
 * - answers a multipart body that strapi::body's parser stalls on (see MULTIPART_PARSE_GRACE_MS)
 *   with the same 400 within a second of its last byte, where the request would get no answer.
 */
export default (config: BodyGuardConfig | undefined, { strapi }: { strapi: Core.Strapi }) => {
  // Strapi's router ignores case in paths, so this does too.
  const prefix = restPrefix(strapi).toLowerCase();
  const publicPath = new RegExp(`^${escapeRegExp(prefix)}/privacy-centre(?:/|$)`);

  const limitOf = (path: string): number | null => {
    if (path.startsWith('/privacy-centre/policies')) return BODY_LIMITS.adminPolicies;
    if (path === '/privacy-centre' || path.startsWith('/privacy-centre/')) return BODY_LIMITS.admin;
    if (publicPath.test(path)) return BODY_LIMITS.public;
    return config?.allRoutes === true ? Infinity : null;
  };

  return async (ctx: any, next: () => Promise<void>) => {
    const limit = limitOf(String(ctx.path).toLowerCase());
    if (limit === null) return next();
    const length = Number(ctx.get('Content-Length') || 0);
    if (length > limit) {
      ctx.set('Connection', 'close');
      return reply(ctx, 413, 'PayloadTooLargeError', `This request body is ${length} bytes; ${ctx.method} ${ctx.path} accepts at most ${limit} bytes`, { limit });
    }
    // A compressed body on the plugin's own paths is refused before it is read: no client of these
    // routes compresses, and an inflating body that outgrows strapi::body's limit makes zlib emit an
    // error nobody listens to any more (brotli: "unexpected end of file"), which ends the process.
    const encoding = String(ctx.get('Content-Encoding') || 'identity').trim().toLowerCase();
    if (limit !== Infinity && encoding !== 'identity' && (length > 0 || ctx.get('Transfer-Encoding'))) {
      ctx.set('Connection', 'close');
      return reply(ctx, 415, 'UnsupportedMediaTypeError', `Content-Encoding ${encoding} is not accepted: send the body uncompressed`);
    }
    // Only on the plugin's own paths: elsewhere (allRoutes) a route may take large uploads, whose
    // last writes to disk can outlast the grace.
    // ctx.is parses the media type; a header that does not even mention multipart is not one.
    const multipart = limit !== Infinity && /multipart/i.test(ctx.get('Content-Type')) && ctx.is('multipart');
    const watch = multipart ? watchMultipartParsing(ctx) : null;
    try {
      if (watch) {
        const downstream = next();
        if ((await Promise.race([downstream, watch.stalled])) === 'stalled') {
          downstream.catch(() => {});
          refuseLateBody(ctx);
          ctx.set('Connection', 'close');
          return reply(ctx, 400, 'BadRequestError', `The request body could not be read: it is not well-formed ${String(ctx.get('Content-Type')).split(';')[0].trim()} (multipart lines must end with CRLF)`);
        }
      } else await next();
      // The router's 405 (a path of the plugin, another method) is otherwise Koa's plain-text status line.
      if (ctx.status === 405 && ctx.body == null && limit !== Infinity) {
        reply(ctx, 405, 'MethodNotAllowedError', `${ctx.method} is not allowed on ${ctx.path}: it accepts ${ctx.response.get('Allow') || 'other methods'}`);
      }
    } catch (error) {
      // Only the parser's errors: what a route throws (Strapi's own error classes) passes on.
      if (ctx.state?.route || ctx.state?.privacyCentreFastPath) throw error;
      const status = bodyErrorStatus(error);
      if (status === null) throw error;
      if (status === 413) return reply(ctx, 413, 'PayloadTooLargeError', `This request body is larger than ${ctx.method} ${ctx.path} accepts`);
      const what = isEncodingError(error) ? `${ctx.get('Content-Encoding')} data` : String(ctx.get('Content-Type') || 'data').split(';')[0];
      reply(ctx, 400, 'BadRequestError', `The request body could not be read: it is not well-formed ${what}`);
    } finally {
      watch?.stop();
    }
  };
};
