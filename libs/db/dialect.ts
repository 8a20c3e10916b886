import type { EntityManager } from 'typeorm';

export type Dialect = 'sqlite' | 'postgres';

/** The one place that asks which database a manager talks to; everything dialect-specific goes through here. */
export const isPostgres = (em: EntityManager): boolean => isPostgresConnection(em.connection);

/** The same for what migrations hold (a QueryRunner's `connection`). */
export const isPostgresConnection = (connection: { options: { type: string } }): boolean => connection.options.type === 'postgres';

export const dialectOf = (em: EntityManager): Dialect => (isPostgres(em) ? 'postgres' : 'sqlite');
