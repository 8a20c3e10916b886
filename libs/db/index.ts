export * from './database.js';
export * from './db.module.js';
export * from './timestamps.js';
