import { EntitySchema } from 'typeorm';

export const SEGMENTS_TABLE = 'network_segments';

/** ML2's NetworkSegment with standard attributes (standard-attr-segment); segments have no project of their own. */
export interface SegmentRow {
  id: string;
  network_id: string;
  network_type: string;
  physical_network: string | null;
  segmentation_id: number | null;
  segment_index: number;
  name: string | null;
  description: string;
  created_at: string;
  updated_at: string;
  revision_number: number;
}

export const SegmentEntity = new EntitySchema<SegmentRow>({
  name: 'NetworkSegment',
  tableName: SEGMENTS_TABLE,
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    network_id: { type: 'varchar', length: 36 },
    network_type: { type: 'varchar', length: 32 },
    physical_network: { type: 'varchar', length: 64, nullable: true },
    segmentation_id: { type: 'integer', nullable: true },
    segment_index: { type: 'integer' },
    name: { type: 'varchar', length: 255, nullable: true },
    description: { type: 'varchar', length: 255 },
    created_at: { type: 'varchar', length: 20 },
    updated_at: { type: 'varchar', length: 20 },
    revision_number: { type: 'integer' },
  },
});
