import { Inject, Injectable } from '@nestjs/common';
import type { DomainRow } from '../entities/domain.entity.js';
import type { ProjectRow } from '../entities/project.entity.js';
import type { RoleRow } from '../entities/role.entity.js';
import type { UserRow } from '../entities/user.entity.js';
import { CatalogService } from '../services/catalog.service.js';

export interface Links {
  self: string;
  previous: null;
  next: null;
}

/** Keystone's response shapes: entities with links.self, collections with self/previous/next links. */
@Injectable()
export class Renderer {
  constructor(@Inject(CatalogService) private readonly catalog: CatalogService) {}

  /** Keystone's collection self link: the request URL on the public origin, trailing slash removed. */
  links(requestUrl: string): Links {
    const q = requestUrl.indexOf('?');
    const path = (q < 0 ? requestUrl : requestUrl.slice(0, q)).replace(/\/+$/, '');
    return { self: this.catalog.origin + path + (q < 0 ? '' : requestUrl.slice(q)), previous: null, next: null };
  }

  collection<T>(key: string, items: T[], requestUrl: string): Record<string, T[] | Links> {
    return { [key]: items, links: this.links(requestUrl) };
  }

  domain(d: DomainRow) {
    return {
      id: d.id,
      name: d.name,
      description: d.description,
      enabled: d.enabled,
      tags: d.tags,
      options: {},
      links: { self: this.catalog.url('domains', d.id) },
    };
  }

  project(p: ProjectRow) {
    return {
      ...p.extra,
      id: p.id,
      name: p.name,
      description: p.description,
      domain_id: p.domain_id,
      enabled: p.enabled,
      parent_id: p.parent_id,
      is_domain: false,
      tags: p.tags,
      options: {},
      links: { self: this.catalog.url('projects', p.id) },
    };
  }

  user(u: UserRow) {
    return {
      ...u.extra,
      id: u.id,
      name: u.name,
      domain_id: u.domain_id,
      enabled: u.enabled,
      password_expires_at: null,
      options: {},
      ...(u.default_project_id ? { default_project_id: u.default_project_id } : {}),
      links: { self: this.catalog.url('users', u.id) },
    };
  }

  role(r: RoleRow) {
    return {
      id: r.id,
      name: r.name,
      domain_id: null,
      description: r.description,
      options: {},
      links: { self: this.catalog.url('roles', r.id) },
    };
  }
}
