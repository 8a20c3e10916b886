import { EntitySchema } from 'typeorm';

export const TAGS_TABLE = 'tags';

export interface TagRow {
  resource_id: string;
  tag: string;
}

/** Tags of every taggable resource; resource ids are UUIDs, unique across resources. */
export const TagEntity = new EntitySchema<TagRow>({
  name: 'Tag',
  tableName: TAGS_TABLE,
  columns: {
    resource_id: { type: 'varchar', length: 36, primary: true },
    tag: { type: 'varchar', length: 255, primary: true },
  },
});
