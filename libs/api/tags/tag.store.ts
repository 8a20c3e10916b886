import type { EntityManager } from 'typeorm';
import { In } from 'typeorm';
import { sqlAnyOf, sqlArrays } from '../../db/index.js';
import { TAGS_TABLE, TagEntity } from './tag.entity.js';

/** Tags of many resources in one query: resource id → sorted tags. */
export async function loadTags(em: EntityManager, ids: string[]): Promise<Map<string, string[]>> {
  const byId = new Map<string, string[]>();
  if (!ids.length) return byId;
  const [cond, param] = sqlAnyOf(em, 'resource_id', ids);
  const rows = await sqlArrays(em, `SELECT resource_id, tag FROM ${TAGS_TABLE} WHERE ${cond}`, [param]);
  for (const [id, tag] of rows as [string, string][]) {
    const list = byId.get(id);
    if (list) list.push(tag);
    else byId.set(id, [tag]);
  }
  for (const list of byId.values()) if (list.length > 1) list.sort();
  return byId;
}

export async function replaceTags(em: EntityManager, id: string, tags: string[]): Promise<void> {
  const repo = em.getRepository(TagEntity);
  await repo.delete({ resource_id: id });
  if (tags.length) await repo.insert(tags.map((tag) => ({ resource_id: id, tag })));
}

/** Tags of a resource created in this unit of work (it has none yet). */
export async function insertTags(em: EntityManager, id: string, tags: string[]): Promise<void> {
  if (tags.length) await em.getRepository(TagEntity).insert(tags.map((tag) => ({ resource_id: id, tag })));
}

export async function addTag(em: EntityManager, id: string, tag: string): Promise<boolean> {
  const repo = em.getRepository(TagEntity);
  if (await repo.existsBy({ resource_id: id, tag })) return false;
  await repo.insert({ resource_id: id, tag });
  return true;
}

export async function removeTag(em: EntityManager, id: string, tag: string): Promise<boolean> {
  const result = await em.getRepository(TagEntity).delete({ resource_id: id, tag });
  return (result.affected ?? 0) > 0;
}

export async function hasTag(em: EntityManager, id: string, tag: string): Promise<boolean> {
  return em.getRepository(TagEntity).existsBy({ resource_id: id, tag });
}

export async function deleteAllTags(em: EntityManager, ...ids: string[]): Promise<void> {
  if (ids.length) await em.getRepository(TagEntity).delete({ resource_id: In(ids) });
}
