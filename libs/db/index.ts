export * from './database.js';
export * from './db.module.js';
export * from './timestamps.js';
export * from './any-of.js';
export * from './sql-values.js';
