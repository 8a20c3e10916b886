import { Global, Module } from '@nestjs/common';

// Placeholder: filled in by its owner. Entities and migrations are collected by apps/appliance.
export const subnetEntities = [];
export const subnetMigrations = [];

@Global()
@Module({})
export class SubnetsModule {}
