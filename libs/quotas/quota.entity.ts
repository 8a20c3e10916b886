import { EntitySchema } from 'typeorm';

export interface QuotaRow {
  project_id: string;
  resource: string;
  hard_limit: number;
}

/** Per-project limits set through PUT /quotas/{id}; everything else falls back to the configured defaults. */
export const QuotaEntity = new EntitySchema<QuotaRow>({
  name: 'Quota',
  tableName: 'quotas',
  columns: {
    project_id: { type: 'varchar', length: 255, primary: true },
    resource: { type: 'varchar', length: 255, primary: true },
    hard_limit: { type: 'integer' },
  },
});
