import { z } from 'zod';

const port = z.number().int().min(0).max(65535);
const quota = z.number().int().min(-1).max(2147483647);

export const configSchema = z
  .object({
    host: z.string().min(1),
    data_dir: z.string().min(1),
    api: z
      .object({
        port,
        body_limit_bytes: z.number().int().min(1024),
        pagination_max_limit: z.number().int().min(-1),
      })
      .strict(),
    identity: z
      .object({
        port,
        public_url_host: z.string(),
        admin_password: z.string().min(1),
        region: z.string().min(1),
        token_expiration_seconds: z.number().int().min(60),
        token_cache_seconds: z.number().int().min(0),
      })
      .strict(),
    database: z
      .object({
        url: z
          .string()
          .refine((u) => u === '' || /^postgres(ql)?:\/\//.test(u), 'must be empty (SQLite) or a postgres:// URL'),
        log_queries: z.boolean(),
      })
      .strict(),
    policy: z.object({ file: z.string() }).strict(),
    network: z
      .object({
        global_physnet_mtu: z.number().int().min(68).max(65535),
        default_mtu_overhead: z.number().int().min(0).max(1000),
        availability_zones: z.array(z.string().min(1)).min(1),
        // Neutron's base_mac: generated port MACs keep its first 3 octets (and the 4th when it is not 00).
        base_mac: z.string().regex(/^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/, 'must be a MAC like fa:16:3e:00:00:00'),
      })
      .strict(),
    quotas: z.record(z.string(), quota),
    log: z
      .object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) })
      .strict(),
  })
  .strict();

export type AppConfig = z.infer<typeof configSchema>;
