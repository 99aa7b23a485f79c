// What server/scripts/openapi.js and the drift test build: the document of the plugin's own routes.
import { contentApiRoutes } from '../routes/content-api';
import { buildOpenApiDocument, type ContractRoute } from './document';

export function pluginOpenApiDocument(version: string) {
  return buildOpenApiDocument(contentApiRoutes() as ContractRoute[], { version });
}
