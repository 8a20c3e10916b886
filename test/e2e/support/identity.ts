import type { Appliance } from './appliance.js';
import { type Json, issueToken } from './http.js';

export interface ProjectUser {
  projectId: string;
  userId: string;
  project: string;
  user: string;
  password: string;
  token: string;
}

async function keystone(app: Appliance, token: string, method: string, path: string, body?: unknown): Promise<Json> {
  const res = await fetch(`${app.identityUrl}/v3${path}`, {
    method,
    headers: { 'X-Auth-Token': token, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`keystone ${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/**
 * A new project in domain Default with one user holding `role` on it (via the Keystone API, as tempest's dynamic
 * credentials do), plus a token for that user scoped to the project.
 */
export async function createProjectUser(
  app: Appliance,
  adminToken: string,
  opts: { project: string; user: string; password?: string; role?: string },
): Promise<ProjectUser> {
  const password = opts.password ?? 'secret';
  const project = await keystone(app, adminToken, 'POST', '/projects', {
    project: { name: opts.project, domain_id: 'default', description: 'e2e' },
  });
  const user = await keystone(app, adminToken, 'POST', '/users', {
    user: { name: opts.user, password, domain_id: 'default', default_project_id: project.project.id },
  });
  const roles = await keystone(app, adminToken, 'GET', `/roles?name=${encodeURIComponent(opts.role ?? 'member')}`);
  const roleId = roles.roles[0]?.id;
  if (!roleId) throw new Error(`role ${opts.role ?? 'member'} not found`);
  await keystone(app, adminToken, 'PUT', `/projects/${project.project.id}/users/${user.user.id}/roles/${roleId}`);
  const token = await issueToken(app.identityUrl, { user: opts.user, password, project: opts.project });
  return { projectId: project.project.id, userId: user.user.id, project: opts.project, user: opts.user, password, token };
}

/** The id of a project by name (domain Default). */
export async function projectId(app: Appliance, adminToken: string, name: string): Promise<string> {
  const found = await keystone(app, adminToken, 'GET', `/projects?name=${encodeURIComponent(name)}`);
  const id = found.projects[0]?.id;
  if (!id) throw new Error(`project ${name} not found`);
  return id;
}
