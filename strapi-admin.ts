// Source entry of the admin bundle; package.json `exports["./strapi-admin"]` points at its build.
export { default } from './admin/src';
