import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.schema.js';
import { Database } from '../../db/database.js';
import { DomainEntity } from '../entities/domain.entity.js';
import { ProjectEntity } from '../entities/project.entity.js';
import { RoleAssignmentEntity, type RoleAssignmentRow, SYSTEM_ALL } from '../entities/role-assignment.entity.js';
import { RoleEntity, type RoleRow } from '../entities/role.entity.js';
import { UserEntity, type UserRow } from '../entities/user.entity.js';
import { DEFAULT_DOMAIN_ID } from './domain.store.js';
import { newId } from './ids.js';
import { hashPassword, verifyPassword } from './password-hasher.js';
import { TokenService } from './token.service.js';
import { isUniqueViolation } from './unique-violation.js';

const ADMIN = 'admin';
const BOOTSTRAP_ROLES = ['admin', 'member', 'reader'];

/**
 * keystone-manage bootstrap, run at every start: idempotent, one unit of work. Creates what is missing and resets
 * the admin password when the configured one no longer matches (which, as in Keystone, revokes admin's tokens).
 */
@Injectable()
export class BootstrapService {
  private done?: Promise<void>;

  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(TokenService) private readonly tokens: TokenService,
  ) {}

  /** Runs the bootstrap once per process; later calls wait for the first. */
  ensure(): Promise<void> {
    this.done ??= this.run().catch((e: unknown) => {
      this.done = undefined;
      throw e;
    });
    return this.done;
  }

  private async run(): Promise<void> {
    const password = this.config.identity.admin_password;
    const existing = await this.db.read((em) => em.findOneBy(UserEntity, { domain_id: DEFAULT_DOMAIN_ID, name: ADMIN }));
    // Only hash when needed: a compare is one bcrypt round, a hash plus a write would be paid at every start.
    const stale = !existing || !(await verifyPassword(password, existing.password_hash));
    const hash = stale ? await hashPassword(password) : undefined;
    try {
      await this.db.transaction((em) => this.apply(em, hash));
    } catch (e) {
      // Another replica bootstrapped at the same moment: its rows are ours too, so run again to settle.
      if (!isUniqueViolation(e)) throw e;
      await this.db.transaction((em) => this.apply(em, hash));
    }
    if (existing && hash) this.tokens.evict({ userId: existing.id });
  }

  private async apply(em: EntityManager, hash: string | undefined): Promise<void> {
    if (!(await em.findOneBy(DomainEntity, { id: DEFAULT_DOMAIN_ID }))) {
      await em.insert(DomainEntity, {
        id: DEFAULT_DOMAIN_ID,
        name: 'Default',
        description: 'The default domain',
        enabled: true,
        tags: [],
      });
    }
    let project = await em.findOneBy(ProjectEntity, { domain_id: DEFAULT_DOMAIN_ID, name: ADMIN });
    if (!project) {
      project = {
        id: newId(),
        name: ADMIN,
        domain_id: DEFAULT_DOMAIN_ID,
        description: 'Bootstrap project for initializing the cloud.',
        enabled: true,
        parent_id: DEFAULT_DOMAIN_ID,
        tags: [],
        extra: {},
      };
      await em.insert(ProjectEntity, project);
    }
    const roles = new Map<string, RoleRow>();
    for (const name of BOOTSTRAP_ROLES) {
      let role = await em.findOneBy(RoleEntity, { name });
      if (!role) {
        role = { id: newId(), name, description: null };
        await em.insert(RoleEntity, role);
      }
      roles.set(name, role);
    }
    const user = await this.ensureAdmin(em, hash);
    const adminRole = roles.get(ADMIN)!.id;
    await this.ensureGrant(em, { actor_id: user.id, target_type: 'project', target_id: project.id, role_id: adminRole });
    await this.ensureGrant(em, { actor_id: user.id, target_type: 'system', target_id: SYSTEM_ALL, role_id: adminRole });
  }

  private async ensureAdmin(em: EntityManager, hash: string | undefined): Promise<UserRow> {
    const user = await em.findOneBy(UserEntity, { domain_id: DEFAULT_DOMAIN_ID, name: ADMIN });
    if (!user) {
      const row: UserRow = {
        id: newId(),
        name: ADMIN,
        domain_id: DEFAULT_DOMAIN_ID,
        password_hash: hash ?? null,
        enabled: true,
        default_project_id: null,
        extra: {},
        created_at: new Date().toISOString(),
      };
      await em.insert(UserEntity, row);
      return row;
    }
    if (hash) {
      await em.update(UserEntity, { id: user.id }, { password_hash: hash, enabled: true });
      await this.tokens.revokeIn(em, { userId: user.id });
    }
    return user;
  }

  private async ensureGrant(em: EntityManager, row: RoleAssignmentRow): Promise<void> {
    if (!(await em.findOneBy(RoleAssignmentEntity, row))) await em.insert(RoleAssignmentEntity, row);
  }
}
