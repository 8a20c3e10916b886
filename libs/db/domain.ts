import type { DynamicModule, Type } from '@nestjs/common';
import type { EntitySchema } from 'typeorm';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type MigrationClass = Function;

/**
 * A domain as one unit: its Nest module with the entities and migrations it owns. Apps list domains once; the
 * database gets every domain's entities and migrations from that list.
 */
export interface Domain {
  module: Type<unknown> | DynamicModule;
  entities: EntitySchema[];
  migrations: MigrationClass[];
}

export const defineDomain = (domain: Domain): Domain => domain;

export const entitiesOf = (domains: readonly Domain[]): EntitySchema[] => domains.flatMap((d) => d.entities);
export const migrationsOf = (domains: readonly Domain[]): MigrationClass[] => domains.flatMap((d) => d.migrations);
