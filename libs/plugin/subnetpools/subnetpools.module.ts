import { Global, Module } from '@nestjs/common';

// Placeholder: filled in by its owner. Entities and migrations are collected by apps/appliance.
export const subnetPoolEntities = [];
export const subnetPoolMigrations = [];

@Global()
@Module({})
export class SubnetPoolsModule {}
