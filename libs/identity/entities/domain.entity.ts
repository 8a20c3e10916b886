import { EntitySchema } from 'typeorm';
import { jsonText } from './json-text.js';

export interface DomainRow {
  id: string;
  name: string;
  description: string;
  enabled: boolean;
  tags: string[];
}

export const DomainEntity = new EntitySchema<DomainRow>({
  name: 'IdentityDomain',
  tableName: 'identity_domains',
  columns: {
    id: { type: 'varchar', length: 64, primary: true },
    name: { type: 'varchar', length: 255 },
    description: { type: 'text' },
    enabled: { type: 'boolean' },
    tags: { type: 'text', transformer: jsonText<string[]>([]) },
  },
  uniques: [{ name: 'uq_identity_domains_name', columns: ['name'] }],
});
