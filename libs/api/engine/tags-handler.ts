import type { EntityManager } from 'typeorm';
import type { Database } from '../../db/index.js';
import type { AuthContext } from '../../identity/auth-context.js';
import { neutronTimestamp } from '../../db/index.js';
import { invalidInput, methodNotAllowed, NeutronError, policyNotAuthorized } from '../errors/neutron-error.js';
import { parseJsonBody } from '../request/body-parser.js';
import type { ApiObject, RequestContext, ResourceDefinition } from '../resource/resource-definition.js';
import { addTag, hasTag, loadTags, removeTag, replaceTags, deleteAllTags } from '../tags/tag.store.js';
import { validateListOfUniqueStrings, validateString } from '../validators/index.js';
import type { ApiRequest, ApiResponse } from './ports.js';

const MAX_TAG_LEN = 255;

type VisibleItem = (def: ResourceDefinition, ctx: RequestContext, id: string) => Promise<ApiObject>;
type ContextFactory = (auth: AuthContext, em: EntityManager, forUpdate: boolean) => RequestContext;

/** The `/<collection>/{id}/tags[/{tag}]` sub-resource of every taggable resource (§2.17). */
export class TagsHandler {
  constructor(
    private readonly db: Database,
    private readonly visibleItem: VisibleItem,
    private readonly context: ContextFactory,
  ) {}

  async handle(def: ResourceDefinition, req: ApiRequest, id: string, tag: string | undefined): Promise<ApiResponse> {
    if (tag !== undefined) {
      const reason = validateString(MAX_TAG_LEN)(tag);
      if (reason) throw invalidInput(reason);
    }
    const write = req.method !== 'GET';
    const run = write ? this.db.transaction.bind(this.db) : this.db.read.bind(this.db);
    return run(async (em) => {
      const ctx = this.context(req.auth, em, write);
      const parent = await this.visibleItem(def, ctx, id);
      if (write) this.checkOwner(def, req, parent);
      const response = await this.operate(req, ctx, id, tag);
      if (write && def.table) await bumpRevision(ctx, def.table, id);
      return response;
    });
  }

  private async operate(req: ApiRequest, ctx: RequestContext, id: string, tag: string | undefined): Promise<ApiResponse> {
    const { em } = ctx;
    switch (`${req.method} ${tag === undefined ? 'all' : 'one'}`) {
      case 'GET all':
        return { status: 200, body: { tags: (await loadTags(em, [id])).get(id) ?? [] } };
      case 'GET one':
        if (!(await hasTag(em, id, tag!))) throw tagNotFound(tag!);
        return { status: 204 };
      case 'PUT one':
        await addTag(em, id, tag!);
        return { status: 201 };
      case 'PUT all': {
        const tags = parseTagsBody(req.rawBody);
        await replaceTags(em, id, tags);
        return { status: 200, body: { tags } };
      }
      case 'DELETE one':
        if (!(await removeTag(em, id, tag!))) throw tagNotFound(tag!);
        return { status: 204 };
      case 'DELETE all':
        await deleteAllTags(em, id);
        return { status: 204 };
      default:
        throw req.method === 'POST' ? new NeutronError('HTTPNotFound', 'The resource could not be found.', 404) : methodNotAllowed(req.method);
    }
  }

  /** Tag writes follow the parent's owner rule (admin_or_owner), as Neutron's *_tags policies do. */
  private checkOwner(def: ResourceDefinition, req: ApiRequest, parent: ApiObject): void {
    if (req.auth.is_admin || parent.project_id === req.auth.project_id) return;
    throw policyNotAuthorized(`rule:${req.method === 'DELETE' ? 'delete' : 'update'}_${def.collection}_tags is disallowed by policy`);
  }
}

function parseTagsBody(raw: string | undefined): string[] {
  const body = parseJsonBody(raw);
  if (!body || !('tags' in body)) throw invalidInput('Invalid tags body');
  const reason = validateListOfUniqueStrings(MAX_TAG_LEN)(body.tags);
  if (reason) throw invalidInput(reason);
  return body.tags as string[];
}

const tagNotFound = (tag: string) => new NeutronError('TagNotFound', `Tag ${tag} could not be found.`, 404);

/** A child changed: the parent's revision_number and updated_at move (§1.8 revises_on_change). */
export async function bumpRevision(ctx: RequestContext, table: string, id: string): Promise<void> {
  await ctx.em
    .createQueryBuilder()
    .update(table)
    .set({ revision_number: () => 'revision_number + 1', updated_at: neutronTimestamp() })
    .where('id = :id', { id })
    .execute();
}
