import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.schema.js';
import { Database } from '../../db/database.js';
import { DomainEntity } from '../entities/domain.entity.js';
import { ProjectEntity, type ProjectRow } from '../entities/project.entity.js';
import { RoleAssignmentEntity, type RoleAssignmentRow, SYSTEM_ALL } from '../entities/role-assignment.entity.js';
import { RoleEntity, type RoleRow } from '../entities/role.entity.js';
import { UserEntity, type UserRow } from '../entities/user.entity.js';
import { DEFAULT_DOMAIN_ID } from './domain.store.js';
import { newId } from './ids.js';
import { hashPassword, verifyPassword } from './password-hasher.js';
import { TokenService } from './token.service.js';
import { isUniqueViolation } from '../../db/index.js';

const ADMIN = 'admin';
const BOOTSTRAP_ROLES = ['admin', 'member', 'reader'];

interface BootstrapUser {
  name: string;
  password: string;
  /** The project the user is admin in (created when missing). */
  project: string;
  /** Also admin on the system scope. */
  system: boolean;
}

/**
 * keystone-manage bootstrap, run at every start: idempotent, one unit of work. Creates what is missing and resets
 * a bootstrapped user's password when the configured one no longer matches (which, as in Keystone, revokes that
 * user's tokens).
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
    const wanted = this.wantedUsers();
    const hashes = new Map<string, string | undefined>();
    const existing = new Map<string, UserRow>();
    for (const { name, password } of wanted) {
      const user = await this.db.read((em) => em.findOneBy(UserEntity, { domain_id: DEFAULT_DOMAIN_ID, name }));
      if (user) existing.set(name, user);
      // Only hash when needed: a check costs one key derivation, a hash plus a write would be paid at every start.
      const stale = !user || !(await verifyPassword(password, user.password_hash));
      hashes.set(name, stale ? await hashPassword(password) : undefined);
    }
    try {
      await this.db.transaction((em) => this.apply(em, wanted, hashes));
    } catch (e) {
      // Another replica bootstrapped at the same moment: its rows are ours too, so run again to settle.
      if (!isUniqueViolation(e)) throw e;
      await this.db.transaction((em) => this.apply(em, wanted, hashes));
    }
    for (const [name, user] of existing) if (hashes.get(name)) this.tokens.evict({ userId: user.id });
  }

  /**
   * admin in project admin, and, when Nova is to be notified, the notifier's service user (Neutron's [nova] user,
   * an admin in the `service` project). Without nova.url nobody needs that account, so no appliance carries an
   * admin whose password is a well-known default.
   */
  private wantedUsers(): BootstrapUser[] {
    const users: BootstrapUser[] = [
      { name: ADMIN, password: this.config.identity.admin_password, project: ADMIN, system: true },
    ];
    const nova = this.config.nova;
    if (nova.url) users.push({ name: nova.username, password: nova.password, project: nova.project, system: false });
    return users;
  }

  private async apply(em: EntityManager, users: BootstrapUser[], hashes: Map<string, string | undefined>): Promise<void> {
    if (!(await em.findOneBy(DomainEntity, { id: DEFAULT_DOMAIN_ID }))) {
      await em.insert(DomainEntity, {
        id: DEFAULT_DOMAIN_ID,
        name: 'Default',
        description: 'The default domain',
        enabled: true,
        tags: [],
      });
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
    const adminRole = roles.get(ADMIN)!.id;
    for (const wanted of users) {
      const project = await this.ensureProject(em, wanted.project);
      const user = await this.ensureUser(em, wanted.name, hashes.get(wanted.name));
      await this.ensureGrant(em, { actor_id: user.id, target_type: 'project', target_id: project.id, role_id: adminRole });
      if (wanted.system) {
        await this.ensureGrant(em, { actor_id: user.id, target_type: 'system', target_id: SYSTEM_ALL, role_id: adminRole });
      }
    }
  }

  private async ensureProject(em: EntityManager, name: string): Promise<ProjectRow> {
    const project = await em.findOneBy(ProjectEntity, { domain_id: DEFAULT_DOMAIN_ID, name });
    if (project) return project;
    const row: ProjectRow = {
      id: newId(),
      name,
      domain_id: DEFAULT_DOMAIN_ID,
      description: name === ADMIN ? 'Bootstrap project for initializing the cloud.' : 'Project of the service users.',
      enabled: true,
      parent_id: DEFAULT_DOMAIN_ID,
      tags: [],
      extra: {},
    };
    await em.insert(ProjectEntity, row);
    return row;
  }

  private async ensureUser(em: EntityManager, name: string, hash: string | undefined): Promise<UserRow> {
    const user = await em.findOneBy(UserEntity, { domain_id: DEFAULT_DOMAIN_ID, name });
    if (!user) {
      const row: UserRow = {
        id: newId(),
        name,
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
