import { DomainEntity } from './domain.entity.js';
import { ProjectEntity } from './project.entity.js';
import { RoleAssignmentEntity } from './role-assignment.entity.js';
import { RoleEntity } from './role.entity.js';
import { TokenEntity } from './token.entity.js';
import { UserEntity } from './user.entity.js';

export * from './domain.entity.js';
export * from './project.entity.js';
export * from './role-assignment.entity.js';
export * from './role.entity.js';
export * from './token.entity.js';
export * from './user.entity.js';

export const identityEntities = [DomainEntity, ProjectEntity, UserEntity, RoleEntity, RoleAssignmentEntity, TokenEntity];
