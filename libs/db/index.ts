export * from './database.js';
export * from './db.module.js';
export * from './timestamps.js';
export * from './any-of.js';
export * from './sql-values.js';
export * from './dialect.js';
export * from './raw-sql.js';
export * from './unique-violation.js';
