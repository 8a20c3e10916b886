import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { type EntityManager, LessThan } from 'typeorm';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.schema.js';
import { Database } from '../../db/database.js';
import type { AuthContext, TokenValidator } from '../auth-context.js';
import { type ScopeType, TokenEntity, type TokenRow } from '../entities/token.entity.js';
import { CatalogService } from './catalog.service.js';
import { parseKeystoneTime } from './keystone-time.js';

/** A validated token: its row and the frozen context the Networking API sees. */
export interface ValidToken {
  readonly row: TokenRow;
  readonly context: AuthContext;
  readonly expiresMs: number;
}

/** Which tokens a change invalidates (all given fields must match). */
export interface RevokeFilter {
  userId?: string;
  /** Any of these users (the members of a group). */
  userIds?: string[];
  /** Tokens issued by this application credential. */
  applicationCredentialId?: string;
  projectId?: string;
  /** The scoped domain or the domain of the scoped project. */
  domainId?: string;
  userDomainId?: string;
  roleId?: string;
  scopeType?: ScopeType;
}

/** Our ids are 43 url-safe characters; anything else is not a token and costs no query. */
const TOKEN_ID = /^[A-Za-z0-9_-]{1,64}$/;
const CACHE_ENTRIES = 10_000;
/** Expired tokens stay readable this long (Keystone's allow_expired_window), then they are deleted. */
const PURGE_AFTER_MS = 2 * 24 * 3600 * 1000;
const PURGE_EVERY_MS = 3600 * 1000;

/**
 * Issued tokens: persisted (they survive restarts and are shared by replicas), validated through an in-process
 * cache that never outlives min(token_cache_seconds, the token's expiry). Validation never hashes and never writes.
 */
@Injectable()
export class TokenService implements TokenValidator {
  private readonly cache = new LRUCache<string, ValidToken>({ max: CACHE_ENTRIES });
  private readonly cacheMs: number;
  /** Bumped by every eviction: a read that started before it must not cache what it read. */
  private generation = 0;
  private lastPurge = 0;

  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(CatalogService) private readonly catalog: CatalogService,
  ) {
    this.cacheMs = config.identity.token_cache_seconds * 1000;
  }

  publicUrl(): string {
    return this.catalog.publicUrl();
  }

  async validate(tokenId: string): Promise<AuthContext | undefined> {
    return (await this.resolve(tokenId))?.context;
  }

  /** The token if it exists, is not revoked and has not expired; a cache hit or one primary-key read. */
  async resolve(tokenId: string | undefined): Promise<ValidToken | undefined> {
    if (typeof tokenId !== 'string' || !TOKEN_ID.test(tokenId)) return undefined;
    const now = Date.now();
    const hit = this.cache.get(tokenId);
    if (hit) return hit.expiresMs > now ? hit : undefined;
    const generation = this.generation;
    const row = await this.db.read((em) => em.findOneBy(TokenEntity, { id: tokenId }));
    if (!row || row.revoked) return undefined;
    const token = toValid(row);
    if (token.expiresMs <= Date.now()) return undefined;
    if (generation === this.generation) this.remember(token);
    return token;
  }

  /** The token even if it expired or was revoked (for allow_expired); undefined when unknown. */
  async find(tokenId: string): Promise<TokenRow | undefined> {
    if (!TOKEN_ID.test(tokenId)) return undefined;
    return (await this.db.read((em) => em.findOneBy(TokenEntity, { id: tokenId }))) ?? undefined;
  }

  async store(row: TokenRow): Promise<ValidToken> {
    await this.db.transaction((em) => em.insert(TokenEntity, row));
    const token = toValid(row);
    this.remember(token);
    void this.purgeExpired();
    return token;
  }

  /** Revokes one token; false when it did not exist. */
  async revoke(tokenId: string): Promise<boolean> {
    const result = await this.db.transaction((em) => em.update(TokenEntity, { id: tokenId }, { revoked: true }));
    this.generation++;
    this.cache.delete(tokenId);
    return (result.affected ?? 0) > 0;
  }

  /** Marks matching tokens revoked inside the caller's unit of work; call evict() after it commits. */
  async revokeIn(em: EntityManager, filter: RevokeFilter): Promise<void> {
    const qb = em.createQueryBuilder().update(TokenEntity).set({ revoked: true });
    const where: string[] = [];
    const params: Record<string, string | string[]> = {};
    const add = (sql: string, key: string, value: string | undefined) => {
      if (value === undefined) return;
      where.push(sql);
      params[key] = value;
    };
    add('user_id = :userId', 'userId', filter.userId);
    add('project_id = :projectId', 'projectId', filter.projectId);
    add('domain_id = :domainId', 'domainId', filter.domainId);
    add('user_domain_id = :userDomainId', 'userDomainId', filter.userDomainId);
    // Role ids are hex: no LIKE wildcards to escape.
    add('roles LIKE :role', 'role', filter.roleId === undefined ? undefined : `%"id":"${filter.roleId}"%`);
    add('scope_type = :scopeType', 'scopeType', filter.scopeType);
    // Application credential ids are hex, like role ids.
    const appCred = filter.applicationCredentialId;
    add('application_credential LIKE :appCred', 'appCred', appCred === undefined ? undefined : `%"id":"${appCred}"%`);
    if (filter.userIds !== undefined) {
      if (filter.userIds.length === 0) return;
      where.push('user_id IN (:...userIds)');
      params.userIds = filter.userIds;
    }
    if (where.length === 0) throw new Error('refusing to revoke every token');
    await qb.where(where.join(' AND '), params).execute();
  }

  /** Drops cached tokens that a committed revokeIn() with the same filter invalidated. */
  evict(filter: RevokeFilter): void {
    this.generation++;
    const doomed: string[] = [];
    for (const [id, { row }] of this.cache.entries()) {
      if (matches(row, filter)) doomed.push(id);
    }
    for (const id of doomed) this.cache.delete(id);
  }

  private remember(token: ValidToken): void {
    const ttl = Math.min(this.cacheMs, token.expiresMs - Date.now());
    if (ttl > 0) this.cache.set(token.row.id, token, { ttl });
  }

  private async purgeExpired(): Promise<void> {
    const now = Date.now();
    if (now - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = now;
    const cutoff = new Date(now - PURGE_AFTER_MS).toISOString().slice(0, 19);
    await this.db
      .transaction((em) => em.delete(TokenEntity, { expires_at: LessThan(cutoff) }))
      .catch(() => undefined);
  }
}

function matches(row: TokenRow, f: RevokeFilter): boolean {
  return (
    (f.userId === undefined || row.user_id === f.userId) &&
    (f.userIds === undefined || f.userIds.includes(row.user_id)) &&
    (f.applicationCredentialId === undefined || row.application_credential?.id === f.applicationCredentialId) &&
    (f.projectId === undefined || row.project_id === f.projectId) &&
    (f.domainId === undefined || row.domain_id === f.domainId) &&
    (f.userDomainId === undefined || row.user_domain_id === f.userDomainId) &&
    (f.roleId === undefined || row.roles.some((r) => r.id === f.roleId)) &&
    (f.scopeType === undefined || row.scope_type === f.scopeType)
  );
}

function toValid(row: TokenRow): ValidToken {
  const roles = Object.freeze(row.roles.map((r) => r.name)) as string[];
  const context: AuthContext = Object.freeze({
    token_id: row.id,
    user_id: row.user_id,
    user_name: row.user_name,
    user_domain_id: row.user_domain_id,
    project_id: row.scope_type === 'project' ? (row.project_id ?? '') : '',
    project_name: row.scope_type === 'project' ? (row.project_name ?? '') : '',
    roles,
    is_admin: roles.includes('admin'),
    expires_at: row.expires_at,
  });
  return Object.freeze({ row, context, expiresMs: parseKeystoneTime(row.expires_at) });
}
