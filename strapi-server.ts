// Source entry of the server bundle; package.json `exports["./strapi-server"]` points at its build.
export { default } from './server/src';
