import { z } from 'zod';

const port = z.number().int().min(0).max(65535);
const quota = z.number().int().min(-1).max(2147483647);
/** Keystone's public_endpoint: the URL clients reach a service at ('' = built from host and port). */
const publicEndpoint = z
  .string()
  .refine((u) => u === '' || /^https?:\/\/[^/?#]+(\/[^?#]*)?$/.test(u), 'must be empty or an http(s):// URL without query')
  .transform((u) => u.replace(/\/+$/, ''));

export const configSchema = z
  .object({
    host: z.string().min(1),
    data_dir: z.string().min(1),
    api: z
      .object({
        port,
        public_endpoint: publicEndpoint,
        body_limit_bytes: z.number().int().min(1024),
        pagination_max_limit: z.number().int().min(-1),
      })
      .strict(),
    identity: z
      .object({
        port,
        public_endpoint: publicEndpoint,
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
        sqlite_cache_mb: z.number().int().min(1),
      })
      .strict(),
    policy: z.object({ file: z.string() }).strict(),
    network: z
      .object({
        global_physnet_mtu: z.number().int().min(68).max(65535),
        availability_zones: z.array(z.string().min(1)).min(1),
        // Neutron's base_mac: generated port MACs keep its first 3 octets (and the 4th when it is not 00).
        base_mac: z.string().regex(/^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/, 'must be a MAC like fa:16:3e:00:00:00'),
        // Neutron's router_distributed: the `distributed` of a router created without one (dvr extension)
        router_distributed: z.boolean(),
      })
      .strict(),
    quotas: z.record(z.string(), quota),
    ml2: z
      .object({
        type_drivers: z.array(z.enum(['flat', 'vlan', 'vxlan', 'geneve'])).min(1),
        tenant_network_types: z.array(z.enum(['flat', 'vlan', 'vxlan', 'geneve'])),
        mechanism_drivers: z.array(z.string().min(1)),
        // '*' allows any physnet; [] forbids flat networks (Neutron's ml2_type_flat.flat_networks).
        flat_networks: z.array(z.string().min(1)),
        // 'physnet' (provider only) or 'physnet:min:max' (tenant ranges), Neutron's ml2_type_vlan.network_vlan_ranges.
        network_vlan_ranges: z.array(z.string().regex(/^[^:]+(:\d+:\d+)?$/, "must be 'physnet' or 'physnet:min:max'")),
        vni_ranges: z.array(z.string().regex(/^\d+:\d+$/, "must be 'min:max'")),
        geneve_vni_ranges: z.array(z.string().regex(/^\d+:\d+$/, "must be 'min:max'")),
      })
      .strict(),
    agents: z
      .object({
        host: z.string(), // this node's agent host name; empty = the machine's hostname
        report_interval: z.number().positive(), // seconds between report_state heartbeats
        agent_down_time: z.number().positive(), // seconds without a heartbeat before an agent is not alive
        enable_new_agents: z.boolean(),
        dhcp_agents_per_network: z.number().int().min(1),
        l2: z
          .object({
            enabled: z.boolean(),
            // extra simulated hosts, each with its own L2 agent (a compute host to bind ports on)
            extra_hosts: z.array(z.string().min(1)),
            physical_interface_mappings: z.record(z.string(), z.string()),
            tunnel_types: z.array(z.enum(['vxlan', 'geneve'])),
          })
          .strict(),
        dhcp: z
          .object({
            enabled: z.boolean(),
            // Neutron's dhcp_lease_duration: seconds, -1 = infinite
            lease_duration: z.union([z.literal(-1), z.number().int().min(1).max(0xfffffffe)]),
            dns_domain: z.string(), // Neutron's dns_domain: option 15 and the guests' domain ('' = none)
          })
          .strict(),
        l3: z
          .object({
            // the L3 agent: routers scheduled to it (sync_routers), built by the dataplane driver
            enabled: z.boolean(),
          })
          .strict(),
        metering: z
          .object({
            // the metering agent: counts the traffic of the L3 agent's routers on its host, driver from dataplane.driver
            enabled: z.boolean(),
            measure_interval: z.number().positive(), // seconds between two reads of the counters
            report_interval: z.number().positive(), // seconds between two l3.meter reports
            granular_traffic_data: z.boolean(), // report per label and router instead of per label
          })
          .strict(),
      })
      .strict(),
    bus: z
      .object({
        transport: z.enum(['in-process', 'redis']),
        redis_url: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL'),
        redis_prefix: z.string().regex(/^[\w.-]+$/, 'letters, digits, . _ -'), // first part of every Redis key
        rpc_timeout_ms: z.number().int().min(1),
      })
      .strict(),
    nova: z
      .object({
        url: z.string(), // e.g. http://127.0.0.1:8774; empty = no notifications
        send_events_interval: z.number().min(0), // seconds a batch collects events
        username: z.string().min(1), // service user created in the Identity stub
        password: z.string().min(1),
        project: z.string().min(1),
      })
      .strict(),
    dataplane: z
      .object({
        driver: z.enum(['simulated', 'linux']),
        host_namespace: z.string(), // linux: namespace the appliance owns its devices in; '' = the root namespace
        dhcp_port: port, // simulated: loopback UDP port the DHCP server answers on (0 = any free port)
        // linux: on stop, the agents remove the bridges, uplinks and router namespaces they made (taps stay)
        cleanup_on_stop: z.boolean(),
      })
      .strict(),
    metrics: z
      .object({
        enabled: z.boolean(), // GET /metrics (Prometheus text, no token); false = 404 like any unknown path
        agent_port: port, // an agent-only process (apps/agent) serves /metrics on this port; 0 = none
      })
      .strict(),
    log: z
      .object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) })
      .strict(),
  })
  .strict();

export type AppConfig = z.infer<typeof configSchema>;
