import { defineDomain } from '../db/index.js';
import { ApiModule } from './api.module.js';
import { Tags1764000000100 } from './migrations/1764000000100-tags.js';
import { TagEntity } from './tags/tag.entity.js';

export const apiEntities = [TagEntity];
export const apiMigrations = [Tags1764000000100];
export const apiDomain = defineDomain({ module: ApiModule, entities: apiEntities, migrations: apiMigrations });

export * from './errors/neutron-error.js';
export * from './engine/ports.js';
export * from './engine/resource-registry.js';
export * from './resource/attribute.js';
export * from './resource/resource-definition.js';
export * from './resource/standard-row.js';
export { renderError } from './http/error-renderer.js';
export { createHttpApp } from './http/create-http-app.js';
export { NeutronExceptionFilter } from './http/neutron-exception.filter.js';
