import { Inject, Injectable } from '@nestjs/common';
import { AssignmentListService } from './assignment-list.service.js';
import { AssignmentStore } from './assignment.store.js';
import { AuthService } from './auth.service.js';
import { BootstrapService } from './bootstrap.service.js';
import { CatalogService } from './catalog.service.js';
import { ApplicationCredentialStore } from './application-credential.store.js';
import { DomainStore } from './domain.store.js';
import { GroupStore } from './group.store.js';
import { ProjectStore } from './project.store.js';
import { RoleStore } from './role.store.js';
import { TokenService } from './token.service.js';
import { UserStore } from './user.store.js';

/** Every identity service of one process, handed as one value to the identity HTTP app (see identity-app.ts). */
@Injectable()
export class IdentityServices {
  constructor(
    @Inject(TokenService) readonly tokens: TokenService,
    @Inject(AuthService) readonly auth: AuthService,
    @Inject(CatalogService) readonly catalog: CatalogService,
    @Inject(DomainStore) readonly domains: DomainStore,
    @Inject(ProjectStore) readonly projects: ProjectStore,
    @Inject(UserStore) readonly users: UserStore,
    @Inject(GroupStore) readonly groups: GroupStore,
    @Inject(ApplicationCredentialStore) readonly applicationCredentials: ApplicationCredentialStore,
    @Inject(RoleStore) readonly roles: RoleStore,
    @Inject(AssignmentStore) readonly assignments: AssignmentStore,
    @Inject(AssignmentListService) readonly assignmentList: AssignmentListService,
    @Inject(BootstrapService) readonly bootstrap: BootstrapService,
  ) {}
}

/** The providers behind IdentityServices, in dependency order. */
export const IDENTITY_SERVICE_CLASSES = [
  CatalogService,
  TokenService,
  DomainStore,
  ProjectStore,
  RoleStore,
  AssignmentStore,
  UserStore,
  GroupStore,
  ApplicationCredentialStore,
  AssignmentListService,
  AuthService,
  BootstrapService,
] as const;
