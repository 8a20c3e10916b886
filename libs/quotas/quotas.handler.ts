import { Inject, Injectable } from '@nestjs/common';
import { Database } from '../db/index.js';
import { httpNotFound, methodNotAllowed, policyNotAuthorized } from '../api/errors/neutron-error.js';
import { AUTHORIZER, type ApiRequest, type ApiResponse, type Authorizer, type CustomHandler } from '../api/engine/ports.js';
import { parseJsonBody, prepareRequestBody } from '../api/request/body-parser.js';
import type { AttributeMap } from '../api/resource/attribute.js';
import { convertToInt, validateRange } from '../api/validators/index.js';
import { QuotaEntity } from './quota.entity.js';
import { adminRequiredForOtherProject, quotaBelowUsage, quotasPostNotSupported, tenantQuotaNotFound } from './quota.errors.js';
import { QuotasService } from './quotas.service.js';

const DB_INTEGER_MAX = 2147483647;

/** /v2.0/quotas: Neutron's quotasv2 + quota_details + quota-check-limit shim (§2.12). */
@Injectable()
export class QuotasHandler implements CustomHandler {
  readonly path = 'quotas';

  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(QuotasService) private readonly quotas: QuotasService,
    @Inject(AUTHORIZER) private readonly authz: Authorizer,
  ) {}

  async handle(req: ApiRequest, rest: string[]): Promise<ApiResponse> {
    const [id, sub, ...more] = rest;
    if (more.length) throw httpNotFound();
    if (id === undefined) {
      if (req.method === 'GET') return this.list(req);
      if (req.method === 'POST') throw quotasPostNotSupported();
      throw methodNotAllowed(req.method);
    }
    if ((id === 'project' || id === 'tenant') && sub === undefined && req.method === 'GET') {
      return { status: 200, body: { [id]: { [`${id}_id`]: req.auth.project_id } } };
    }
    if (sub === 'default' && req.method === 'GET') {
      this.checkOwnOrPolicy(req, id, 'get_quota');
      return { status: 200, body: { quota: this.quotas.defaults() } };
    }
    if (sub === 'details' && req.method === 'GET') return this.details(req, id);
    if (sub !== undefined) throw httpNotFound();
    switch (req.method) {
      case 'GET':
        this.checkOwnOrPolicy(req, id, 'get_quota');
        return { status: 200, body: { quota: await this.db.read((em) => this.quotas.limits(em, id)) } };
      case 'PUT':
        return this.update(req, id);
      case 'DELETE':
        return this.remove(req, id);
      default:
        throw methodNotAllowed(req.method);
    }
  }

  private async list(req: ApiRequest): Promise<ApiResponse> {
    this.enforce(req, 'get_quota');
    const rows = await this.db.read((em) => em.getRepository(QuotaEntity).find({ order: { project_id: 'ASC' } }));
    const byProject = new Map<string, Record<string, unknown>>();
    for (const row of rows) {
      let entry = byProject.get(row.project_id);
      if (!entry) {
        entry = { project_id: row.project_id, tenant_id: row.project_id, ...this.quotas.defaults() };
        byProject.set(row.project_id, entry);
      }
      if (row.resource in entry) entry[row.resource] = row.hard_limit;
    }
    return { status: 200, body: { quotas: [...byProject.values()] } };
  }

  private async details(req: ApiRequest, id: string): Promise<ApiResponse> {
    if (id !== req.auth.project_id && !req.auth.is_admin) throw adminRequiredForOtherProject();
    const quota = await this.db.read(async (em) => {
      const limits = await this.quotas.limits(em, id);
      const out: Record<string, { limit: number; used: number; reserved: number }> = {};
      for (const [resource, limit] of Object.entries(limits)) {
        out[resource] = { limit, used: await this.quotas.usage(em, id, resource), reserved: 0 };
      }
      return out;
    });
    return { status: 200, body: { quota } };
  }

  private async update(req: ApiRequest, id: string): Promise<ApiResponse> {
    this.enforce(req, 'update_quota');
    const body = parseJsonBody(req.rawBody);
    const envelope = body?.quota;
    let checkLimit = false;
    if (envelope && typeof envelope === 'object' && !Array.isArray(envelope)) {
      const e = envelope as Record<string, unknown>;
      checkLimit = e.check_limit === true || e.check_limit === 'true' || e.check_limit === 'True';
      delete e.force;
      delete e.check_limit;
    }
    const [changes] = prepareRequestBody(body, {
      resource: 'quota',
      collection: 'quotas',
      attributes: this.quotaAttributes(),
      isCreate: false,
      allowBulk: false,
      caller: { projectId: req.auth.project_id, isAdmin: req.auth.is_admin },
    });
    const limits = await this.db.transaction(async (em) => {
      const repo = em.getRepository(QuotaEntity);
      for (const [resource, limit] of Object.entries(changes) as [string, number][]) {
        if (checkLimit) {
          const used = await this.quotas.usage(em, id, resource);
          if (used > limit) throw quotaBelowUsage(resource, limit, used);
        }
        await repo.upsert({ project_id: id, resource, hard_limit: limit }, ['project_id', 'resource']);
      }
      return this.quotas.limits(em, id);
    });
    return { status: 200, body: { quota: limits } };
  }

  private async remove(req: ApiRequest, id: string): Promise<ApiResponse> {
    this.enforce(req, 'delete_quota');
    const result = await this.db.transaction((em) => em.getRepository(QuotaEntity).delete({ project_id: id }));
    if (!result.affected) throw tenantQuotaNotFound(id);
    return { status: 204 };
  }

  private quotaAttributes(): AttributeMap {
    const attrs: AttributeMap = {};
    for (const resource of this.quotas.resources()) {
      attrs[resource] = { allowPost: false, allowPut: true, convert: convertToInt, validate: [validateRange(-1, DB_INTEGER_MAX)] };
    }
    return attrs;
  }

  private checkOwnOrPolicy(req: ApiRequest, id: string, action: string): void {
    if (id !== req.auth.project_id) this.enforce(req, action);
  }

  private enforce(req: ApiRequest, action: string): void {
    const denied = this.authz.authorize(action, { project_id: req.auth.project_id, tenant_id: req.auth.project_id }, req.auth, []);
    if (denied) throw policyNotAuthorized(denied);
  }
}
