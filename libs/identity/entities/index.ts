import { ApplicationCredentialEntity } from './application-credential.entity.js';
import { DomainEntity } from './domain.entity.js';
import { GroupAssignmentEntity } from './group-assignment.entity.js';
import { GroupEntity, GroupMemberEntity } from './group.entity.js';
import { ProjectEntity } from './project.entity.js';
import { RoleAssignmentEntity } from './role-assignment.entity.js';
import { RoleEntity } from './role.entity.js';
import { TokenEntity } from './token.entity.js';
import { UserEntity } from './user.entity.js';

export * from './application-credential.entity.js';
export * from './domain.entity.js';
export * from './group-assignment.entity.js';
export * from './group.entity.js';
export * from './project.entity.js';
export * from './role-assignment.entity.js';
export * from './role.entity.js';
export * from './token.entity.js';
export * from './user.entity.js';

export const identityEntities = [
  DomainEntity,
  ProjectEntity,
  UserEntity,
  RoleEntity,
  RoleAssignmentEntity,
  TokenEntity,
  GroupEntity,
  GroupMemberEntity,
  GroupAssignmentEntity,
  ApplicationCredentialEntity,
];
