import type { HttpClient, HttpResponse } from './http-client.js';

/** What every case gets: clients on both listeners, an admin token and a scratch space shared between cases. */
export interface BenchContext {
  api: HttpClient;
  identity: HttpClient;
  /** Project-scoped admin token (admin/admin, project admin, domain Default). */
  token: string;
  projectId: string;
  /** Multiplies every count (`--scale 0.1` for a smoke run). */
  scale: number;
  /** State shared between cases, e.g. the ids of networks a create case made. Keys are namespaced by the case file. */
  state: Map<string, unknown>;
  log(message: string): void;
}

/** One HTTP request a case wants timed. */
export interface RequestSpec {
  /** Which listener; default 'api'. */
  target?: 'api' | 'identity';
  method: string;
  path: string;
  body?: unknown;
  /** Extra headers. X-Auth-Token is the context's token unless `token` says otherwise (null = none). */
  headers?: Record<string, string>;
  token?: string | null;
  /** Expected status; anything else counts as an error. */
  expect: number;
}

/**
 * One measured case: `count` requests, `concurrency` at a time. Only the HTTP round trip of `request()` is timed;
 * `prepare` (untimed, once) and `check` (untimed, per response) do the bookkeeping.
 *
 * To add cases (ports, DHCP, ...), write test/bench/cases/<topic>.ts exporting a `BenchCase[]` and list it
 * in test/bench/cases/index.ts. Cases run in that order, and a case must not assume another one ran before it
 * (`--only` picks a subset): `prepare` establishes what the case needs (see `ensureNetworks`).
 */
export interface BenchCase {
  /** Stable id, used by `--only` and as the key in the JSON results (e.g. `network.create.seq`). */
  id: string;
  /** Table label. */
  title: string;
  /** Requests at scale 1. */
  count: number;
  concurrency: number;
  prepare?(ctx: BenchContext, count: number): Promise<void>;
  request?(ctx: BenchContext, i: number): RequestSpec;
  /** Instead of `request`: a timed round trip that is not HTTP (e.g. a DHCP exchange over UDP); throws on a wrong answer. */
  exchange?(ctx: BenchContext, i: number): Promise<void>;
  check?(ctx: BenchContext, i: number, res: HttpResponse): void;
  /** Untimed, once after the run (e.g. forget ids the case deleted). */
  finish?(ctx: BenchContext): Promise<void>;
}

/** A pass/fail target reported next to the figures (the bench reports; it does not fail). */
export interface Target {
  id: string;
  title: string;
  unit: string;
  limit: number;
  /** How measured compares with limit when met; default '<'. */
  comparison?: '<' | '<=' | '>=';
  measured: number | null;
  met: boolean | null;
  /** The same figure for real Neutron + Keystone on this machine type (issue 3), for scale. */
  reference: string;
  /** The same run's floor for this figure (e.g. GET /healthcheck at the same concurrency), so the distance is visible. */
  floor?: string;
}
