import { applyChanges, holdsFunction, sameHeaders } from '../../server/src/middlewares/security-replay';

describe('holdsFunction', () => {
  it('finds a function however deep, in arrays too', () => {
    expect(holdsFunction({ contentSecurityPolicy: { directives: { 'script-src': ["'self'", () => "'nonce-x'"] } } })).toBe(true);
    expect(holdsFunction(() => undefined)).toBe(true);
  });

  it('finds none in plain config, and survives cycles', () => {
    const cyclic: Record<string, unknown> = { hsts: { maxAge: 1 }, list: ['a', 1, null] };
    cyclic.self = cyclic;
    expect(holdsFunction(cyclic)).toBe(false);
    expect(holdsFunction({})).toBe(false);
    expect(holdsFunction(undefined)).toBe(false);
  });
});

describe('applyChanges', () => {
  it('sets and removes in call order, names in lower case, leaving the reading untouched', () => {
    const before = { 'x-powered-by': 'Express', vary: 'Origin' };
    const after = applyChanges(before, [['X-Frame-Options', 'SAMEORIGIN'], ['X-Powered-By'], ['Vary', ['Origin', 'Accept']], ['X-Frame-Options', 'DENY']]);
    expect(after).toEqual({ vary: ['Origin', 'Accept'], 'x-frame-options': 'DENY' });
    expect(before).toEqual({ 'x-powered-by': 'Express', vary: 'Origin' });
  });
});

describe('sameHeaders', () => {
  it('compares names and values, arrays item by item', () => {
    expect(sameHeaders({ a: '1', b: ['x', 'y'] }, { b: ['x', 'y'], a: '1' })).toBe(true);
    expect(sameHeaders({ a: '1', b: ['x', 'y'] }, { a: '1', b: ['x'] })).toBe(false);
    expect(sameHeaders({ a: '1' }, { a: '1', c: '2' })).toBe(false);
    expect(sameHeaders({ a: '1', c: '2' }, { a: '1' })).toBe(false);
    expect(sameHeaders({ a: 1 }, { a: '1' })).toBe(false);
  });
});
