import type { ApiObject, RequestContext } from '../../api/resource/resource-definition.js';

/** The routers' member actions (`PUT /routers/{id}/<action>`): raw body in, raw body out. */
export interface RouterActions {
  addInterface(ctx: RequestContext, router: ApiObject, body: ApiObject | undefined): Promise<ApiObject>;
  removeInterface(ctx: RequestContext, router: ApiObject, body: ApiObject | undefined): Promise<ApiObject>;
  addExtraRoutes(ctx: RequestContext, router: ApiObject, body: ApiObject | undefined): Promise<ApiObject>;
  removeExtraRoutes(ctx: RequestContext, router: ApiObject, body: ApiObject | undefined): Promise<ApiObject>;
}
