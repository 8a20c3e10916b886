import { Global, Module } from '@nestjs/common';

// Placeholder: filled in by its owner. Entities and migrations are collected by apps/appliance.
export const portEntities = [];
export const portMigrations = [];

@Global()
@Module({})
export class PortsModule {}
