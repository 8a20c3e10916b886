import type { ResourceFragment } from '../resource/resource-definition.js';
import { deleteAllTags, insertTags, loadTags } from './tag.store.js';

/**
 * Tags of every taggable resource, kept by the engine (the registry adds this to each `taggable` definition): the
 * services never see them. The `tags` attribute itself is a standard attribute of the resource's own map.
 */
export const tagsFragment: ResourceFragment = {
  name: 'standard-attr-tag',
  order: 0,
  attributes: {},

  async load(ctx, items, fields) {
    if (fields.length && !fields.includes('tags')) return;
    const tags = await loadTags(ctx.em, items.map((i) => i.id as string));
    for (const item of items) item.tags = tags.get(item.id as string) ?? [];
  },

  // Only ports take tags on create (tag-ports-during-bulk-creation); elsewhere the attribute is not allowed in a POST.
  async create(ctx, item, request) {
    const tags = [...((request.tags as string[] | undefined) ?? [])].sort();
    if (tags.length) await insertTags(ctx.em, item.id as string, tags);
    item.tags = tags;
  },

  async update(_ctx, item, original) {
    item.tags = original.tags;
  },

  async delete(ctx, current) {
    await deleteAllTags(ctx.em, current.id as string);
  },
};
