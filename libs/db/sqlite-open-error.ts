import { accessSync, constants, type Stats, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '../config/index.js';

/**
 * SQLite says only SQLITE_CANTOPEN (or mkdir says EACCES) when the data directory is not usable: name the file, the
 * reason, and the setting that moves it. A container started with a bind mount its user cannot write is the usual case.
 */
export function explainSqliteOpenError(error: unknown, file: string): unknown {
  const code = (error as { code?: string }).code;
  if (code !== 'SQLITE_CANTOPEN' && code !== 'EACCES' && code !== 'EROFS' && code !== 'ENOTDIR' && code !== 'EEXIST') return error;
  return new ConfigError(
    `Cannot open the SQLite database ${file}: ${whyNotWritable(file) ?? (error as Error).message}. ` +
      'Set APPLIANCE_DATA_DIR (data_dir) to a directory this process can write, or APPLIANCE_DATABASE_URL for PostgreSQL.',
  );
}

function whyNotWritable(file: string): string | undefined {
  const uid = process.getuid?.();
  const who = uid === undefined ? 'this process' : `uid ${uid}`;
  // The file if it exists, else the nearest directory that exists (where it, or the data directory, would be made).
  let path = file;
  let stat = statOrUndefined(path);
  while (!stat && dirname(path) !== path) {
    path = dirname(path);
    stat = statOrUndefined(path);
  }
  if (!stat) return undefined;
  if (path !== file && !stat.isDirectory()) return `${path} is not a directory`;
  try {
    accessSync(path, constants.W_OK);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'EROFS' ? 'is on a read-only file system' : `is not writable by ${who}`;
    return `${path} ${reason} (owner uid ${stat.uid}, mode ${(stat.mode & 0o777).toString(8)})`;
  }
  return undefined;
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
