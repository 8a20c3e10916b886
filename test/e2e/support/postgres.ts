import { createScratchPostgres, type ScratchPostgres } from '../../../libs/db/testing/scratch-database.js';

export type TempDatabase = ScratchPostgres;

/** A fresh, empty database on the machine's PostgreSQL (E2E_POSTGRES_URL) for one suite run; drop() always removes it. */
export const createTempDatabase = (): Promise<TempDatabase> => createScratchPostgres('appliance_e2e', 6);
