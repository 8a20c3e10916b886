import { EntitySchema } from 'typeorm';
import { type JsonObject, jsonText } from './json-text.js';

export interface ProjectRow {
  id: string;
  name: string;
  domain_id: string;
  description: string;
  enabled: boolean;
  /** The domain id for a top-level project, as in Keystone. */
  parent_id: string;
  tags: string[];
  /** Attributes Keystone keeps beside the columns (`openstack project create --property k=v`). */
  extra: JsonObject;
}

export const ProjectEntity = new EntitySchema<ProjectRow>({
  name: 'IdentityProject',
  tableName: 'identity_projects',
  columns: {
    id: { type: 'varchar', length: 64, primary: true },
    name: { type: 'varchar', length: 255 },
    domain_id: { type: 'varchar', length: 64 },
    description: { type: 'text' },
    enabled: { type: 'boolean' },
    parent_id: { type: 'varchar', length: 64 },
    tags: { type: 'text', transformer: jsonText<string[]>([]) },
    extra: { type: 'text', transformer: jsonText<JsonObject>({}) },
  },
  uniques: [{ name: 'uq_identity_projects_domain_name', columns: ['domain_id', 'name'] }],
  indices: [{ name: 'ix_identity_projects_parent', columns: ['parent_id'] }],
});
