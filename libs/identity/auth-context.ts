/** Who is calling, as resolved from a validated token. What the Networking API and policy need. */
export interface AuthContext {
  token_id: string;
  user_id: string;
  user_name: string;
  user_domain_id: string;
  /** '' when the token is not project-scoped. */
  project_id: string;
  project_name: string;
  /** Role names, implied roles included (admin ⇒ member ⇒ reader). */
  roles: string[];
  is_admin: boolean;
  /** ISO time, for the cache to never outlive the token. */
  expires_at: string;
}

/** Validates tokens for the Networking API. Implemented by the identity module. */
export interface TokenValidator {
  /** The caller's context, or undefined when the token is unknown, expired or revoked. Cached; no hash, no write. */
  validate(tokenId: string): Promise<AuthContext | undefined>;
  /** Keystone's public URL, for the WWW-Authenticate header of a 401 ("http://host:5000/v3"). */
  publicUrl(): string;
}

export const TOKEN_VALIDATOR = Symbol('TOKEN_VALIDATOR');
