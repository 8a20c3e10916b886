import type { ApiObject, RequestContext } from '../../api/resource/resource-definition.js';

/** The routers' member actions (`PUT /routers/{id}/<action>`): raw body in, raw body out. */
export interface RouterActions {
  addInterface(ctx: RequestContext, router: ApiObject, body: ApiObject | undefined): Promise<ApiObject>;
  removeInterface(ctx: RequestContext, router: ApiObject, body: ApiObject | undefined): Promise<ApiObject>;
  addExtraRoutes(ctx: RequestContext, router: ApiObject, body: ApiObject | undefined): Promise<ApiObject>;
  removeExtraRoutes(ctx: RequestContext, router: ApiObject, body: ApiObject | undefined): Promise<ApiObject>;
}

/**
 * What add/remove_router_interface read of the router: the engine loads nothing else of it (no gateway, routes, tags
 * or zones). An attribute the interface code starts to read must be added here.
 */
export const INTERFACE_ACTION_FIELDS = ['id', 'project_id', 'distributed'];
