import http from 'node:http';
import net from 'node:net';
import { applyChanges, isPlainData, recordingHeaderCalls, replayingSecurity, sameHeaders } from '../../server/src/middlewares/security-replay';

/** A real Node response (no socket written to): what helmet and the replay set headers on. */
const response = () => new http.ServerResponse(new http.IncomingMessage(new net.Socket()));
const context = (method = 'GET', path = '/fast') => ({ method, path, res: response() });
const counts = () => ({ recorded: 0, replayed: 0, routes: new Set<string>() });

describe('isPlainData', () => {
  it('takes plain objects, arrays and primitives, and survives cycles', () => {
    const cyclic: Record<string, unknown> = { hsts: { maxAge: 1 }, list: ['a', 1, null, true], none: Object.create(null) };
    cyclic.self = cyclic;
    expect(isPlainData(cyclic)).toBe(true);
    expect(isPlainData({})).toBe(true);
    expect(isPlainData(undefined)).toBe(true);
  });

  it('refuses whatever may give another value at each request', () => {
    const nonce = () => "'nonce-x'";
    expect(isPlainData({ contentSecurityPolicy: { directives: { 'script-src': ["'self'", nonce] } } })).toBe(false);
    expect(isPlainData({ directives: { 'script-src': new Set(["'self'"]) } })).toBe(false);
    expect(isPlainData({ directives: new Map() })).toBe(false);
    expect(isPlainData({ policy: { toString: () => 'x' } })).toBe(false);
    expect(isPlainData({ policy: new (class Source {})() })).toBe(false);
    expect(isPlainData(Object.defineProperty({}, 'policy', { get: () => 'x', enumerable: true }))).toBe(false);
    expect(isPlainData({ [Symbol('x')]: 1 })).toBe(false);
    expect(isPlainData(Object.create({ inherited: 1 }))).toBe(false);
    expect(isPlainData({ directives: new Proxy({ 'script-src': ["'self'"] }, {}) })).toBe(false);
    expect(isPlainData({ 'script-src': Object.defineProperty(["'self'", 'x'], 1, { get: () => "'nonce-x'", enumerable: true }) })).toBe(false);
    expect(isPlainData({ 'script-src': new (class Sources extends Array {})() })).toBe(false);
    expect(isPlainData({ 'script-src': Object.assign(["'self'"], { [Symbol('x')]: 1 }) })).toBe(false);
    expect(isPlainData(Object.defineProperty({}, 'policy', { get: () => { throw new Error('read'); }, enumerable: true }))).toBe(false);
  });
});

describe('applyChanges and sameHeaders', () => {
  it('apply calls in order, names in lower case, leaving the reading untouched', () => {
    const before = { 'x-powered-by': 'Express', vary: 'Origin' };
    const after = applyChanges(before, [['X-Frame-Options', 'SAMEORIGIN'], ['X-Powered-By'], ['Vary', ['Origin', 'Accept']], ['X-Frame-Options', 'DENY']]);
    expect(after).toEqual({ vary: ['Origin', 'Accept'], 'x-frame-options': 'DENY' });
    expect(before).toEqual({ 'x-powered-by': 'Express', vary: 'Origin' });
  });

  it('compare names and values, arrays item by item', () => {
    expect(sameHeaders({ a: '1', b: ['x', 'y'] }, { b: ['x', 'y'], a: '1' })).toBe(true);
    expect(sameHeaders({ a: '1', b: ['x', 'y'] }, { a: '1', b: ['x'] })).toBe(false);
    expect(sameHeaders({ a: '1' }, { a: '1', c: '2' })).toBe(false);
    expect(sameHeaders({ a: '1', c: '2' }, { a: '1' })).toBe(false);
    expect(sameHeaders({ a: 1 }, { a: '1' })).toBe(false);
  });
});

describe('recordingHeaderCalls', () => {
  it('records set and remove calls, and gives the response its methods back', async () => {
    const res = response();
    res.setHeader('X-Powered-By', 'Express');
    let recorded: unknown;
    await recordingHeaderCalls(
      res,
      async (next) => {
        res.setHeader('X-Frame-Options', 'SAMEORIGIN');
        res.removeHeader('X-Powered-By');
        await next();
      },
      async () => {
        res.setHeader('X-Later', 'not recorded');
      },
      (calls) => (recorded = calls)
    );
    expect(recorded).toEqual([['X-Frame-Options', 'SAMEORIGIN'], ['X-Powered-By']]);
    expect(Object.hasOwn(res, 'setHeader') || Object.hasOwn(res, 'removeHeader')).toBe(false);
  });

  it('gives null when the headers changed otherwise than by those calls', async () => {
    const res = response();
    let recorded: unknown = 'untouched';
    await recordingHeaderCalls(
      res,
      async (next) => {
        (res as any)[Object.getOwnPropertySymbols(res).find((s) => String(s).includes('kOutHeaders'))!] = { 'x-sneaky': ['X-Sneaky', '1'] };
        await next();
      },
      async () => undefined,
      (calls) => (recorded = calls)
    );
    expect(recorded).toBeNull();
  });

  it('puts back methods the response had of its own, and restores them when the run throws at once', () => {
    const res = response() as any;
    const own = function (this: unknown, ...args: unknown[]) {
      return (http.ServerResponse.prototype.setHeader as any).apply(this, args);
    };
    res.setHeader = own;
    expect(() =>
      recordingHeaderCalls(
        res,
        () => {
          throw new Error('bad helmet config');
        },
        async () => undefined,
        () => undefined
      )
    ).toThrow('bad helmet config');
    expect(res.setHeader).toBe(own);
    expect(Object.hasOwn(res, 'removeHeader')).toBe(false);
  });
});

describe('replayingSecurity', () => {
  const routeOf = (ctx: { path: string; method: string }) => (ctx.path === '/fast' ? `${ctx.method} fast` : null);

  it('runs security at the first request of a route, replays its calls after, and runs it for every other route', async () => {
    let runs = 0;
    const security = async (ctx: any, next: () => Promise<void>) => {
      runs += 1;
      ctx.res.setHeader('Content-Security-Policy', "default-src 'self'");
      ctx.res.setHeader('X-List', ['a', 'b']);
      await next();
    };
    const tally = counts();
    const middleware = replayingSecurity(security, {}, routeOf, tally);
    const answers = [context(), context(), context('GET', '/other'), context('HEAD')];
    for (const ctx of answers) await middleware(ctx, async () => undefined);
    expect(runs).toBe(3); // the first GET /fast, /other, the first HEAD /fast
    for (const ctx of answers) expect(ctx.res.getHeaders()).toEqual({ 'content-security-policy': "default-src 'self'", 'x-list': ['a', 'b'] });
    expect(tally).toEqual({ recorded: 2, replayed: 1, routes: new Set(['GET fast', 'HEAD fast']) });
    // A replayed list is a copy: changing one answer's changes no other.
    (answers[1].res.getHeader('x-list') as string[]).push('c');
    const next = context();
    await middleware(next, async () => undefined);
    expect(next.res.getHeader('x-list')).toEqual(['a', 'b']);
  });

  it('keeps each instance its own records (a route-level strapi::security with a config of its own)', async () => {
    const setting = (value: string) => async (ctx: any, next: () => Promise<void>) => {
      ctx.res.setHeader('X-Frame-Options', value);
      await next();
    };
    const tally = counts();
    const global = replayingSecurity(setting('SAMEORIGIN'), {}, routeOf, tally);
    const strict = replayingSecurity(setting('DENY'), {}, routeOf, tally);
    for (let i = 0; i < 2; i += 1) {
      const a = context();
      const b = context();
      await global(a, async () => undefined);
      await strict(b, async () => undefined);
      expect([a.res.getHeader('x-frame-options'), b.res.getHeader('x-frame-options')]).toEqual(['SAMEORIGIN', 'DENY']);
    }
    expect(tally.replayed).toBe(2);
  });

  it('never replays when the config stopped being plain data before the first request', async () => {
    let runs = 0;
    const config: Record<string, unknown> = { directives: {} };
    const security = async (ctx: any, next: () => Promise<void>) => {
      runs += 1;
      ctx.res.setHeader('Content-Security-Policy', `script-src 'nonce-${runs}'`);
      await next();
    };
    const tally = counts();
    const middleware = replayingSecurity(security, config, routeOf, tally);
    config.directives = { 'script-src': [() => 'nonce'] };
    const nonces: unknown[] = [];
    for (let i = 0; i < 3; i += 1) {
      const ctx = context();
      await middleware(ctx, async () => undefined);
      nonces.push(ctx.res.getHeader('content-security-policy'));
    }
    expect(new Set(nonces).size).toBe(3);
    expect(tally).toMatchObject({ replayed: 0, routes: new Set() });
  });

  it('a config too deep to read is not replayed, and the request goes on', async () => {
    const config: Record<string, unknown> = {};
    let inner = config;
    for (let i = 0; i < 200_000; i += 1) inner = (inner.next = {}) as Record<string, unknown>;
    let runs = 0;
    const security = async (_ctx: any, next: () => Promise<void>) => {
      runs += 1;
      await next();
    };
    const tally = counts();
    const middleware = replayingSecurity(security, config, routeOf, tally);
    let reached = 0;
    for (let i = 0; i < 2; i += 1) await middleware(context(), async () => void (reached += 1));
    expect([runs, reached, tally.replayed]).toEqual([2, 2, 0]);
  });
});
