// c15t 2.x hosted-mode routes, under /api/privacy-centre/c15t (a site's c15t `backendURL`).
// Each declares its contract (server/src/contract/c15t.ts): the controller validates with it.
import {
  c15tSubjectId,
  getSubjectOutput,
  getSubjectQuery,
  initOutput,
  initQuery,
  patchSubjectBody,
  patchSubjectOutput,
  postSubjectBody,
  postSubjectOutput,
} from '../contract/c15t';

const limited = (scope: string) => ({
  auth: false as const,
  middlewares: [{ name: 'plugin::privacy-centre.rate-limit', config: { scope } }],
});

export const c15tRoutes = [
  // Every page view of a site asks: open like GET /cookies (it reads cached revisions only).
  {
    method: 'GET',
    path: '/c15t/init',
    handler: 'public-c15t.init',
    config: { auth: false as const },
    request: { query: initQuery.shape },
    response: initOutput,
  },
  {
    method: 'POST',
    path: '/c15t/subjects',
    handler: 'public-c15t.record',
    config: limited('c15t-subjects'),
    request: { body: { 'application/json': postSubjectBody } },
    response: postSubjectOutput,
  },
  {
    method: 'GET',
    path: '/c15t/subjects/:id',
    handler: 'public-c15t.subject',
    config: limited('c15t-subject-reads'),
    request: { params: { id: c15tSubjectId }, query: getSubjectQuery.shape },
    response: getSubjectOutput,
  },
  {
    method: 'PATCH',
    path: '/c15t/subjects/:id',
    handler: 'public-c15t.identify',
    config: limited('c15t-identify'),
    request: { params: { id: c15tSubjectId }, body: { 'application/json': patchSubjectBody } },
    response: patchSubjectOutput,
  },
];
