import { Global, Module } from '@nestjs/common';

// Placeholder: filled in by its owner. Entities and migrations are collected by apps/appliance.
export const securityGroupEntities = [];
export const securityGroupMigrations = [];

@Global()
@Module({})
export class SecurityGroupsModule {}
