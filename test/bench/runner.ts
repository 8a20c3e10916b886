import { performance } from 'node:perf_hooks';
import { describe, type HttpResponse } from './http-client.js';
import { type LatencyStats, summarize } from './stats.js';
import type { BenchCase, BenchContext, RequestSpec } from './types.js';

export interface CaseResult extends LatencyStats {
  id: string;
  title: string;
  concurrency: number;
  /** The first few unexpected answers, for the report. */
  errorSamples: string[];
  /** Set when the case could not run at all (its prepare step failed). */
  failed?: string;
}

export function scaled(count: number, scale: number): number {
  return Math.max(1, Math.round(count * scale));
}

/** Sends one request as the context's admin (or the spec's token). */
export function send(ctx: BenchContext, spec: RequestSpec): Promise<HttpResponse> {
  const client = spec.target === 'identity' ? ctx.identity : ctx.api;
  const headers: Record<string, string> = { ...spec.headers };
  const token = spec.token === undefined ? ctx.token : spec.token;
  if (token !== null) headers['x-auth-token'] = token;
  return client.request(spec.method, spec.path, { headers, body: spec.body });
}

/** Untimed helper for `prepare`: one request that must answer `spec.expect`. */
export async function call(ctx: BenchContext, spec: RequestSpec): Promise<HttpResponse> {
  const res = await send(ctx, spec);
  if (res.status !== spec.expect) throw new Error(`${spec.method} ${spec.path}: expected ${spec.expect}, got ${describe(res)}`);
  return res;
}

/** `count` requests over `concurrency` workers; each round trip timed on its own. */
export async function runCase(ctx: BenchContext, c: BenchCase): Promise<CaseResult> {
  const count = scaled(c.count, ctx.scale);
  try {
    await c.prepare?.(ctx, count);
  } catch (error) {
    const failed = `prepare: ${(error as Error).message}`;
    return { id: c.id, title: c.title, concurrency: c.concurrency, ...summarize([], count, 0), errorSamples: [failed], failed };
  }
  const samples: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  let next = 0;
  const noteError = (i: number, what: string) => {
    errors++;
    if (errorSamples.length < 5) errorSamples.push(`#${i}: ${what}`);
  };

  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      if (c.exchange) {
        const t = performance.now();
        await c.exchange(ctx, i).then(() => samples.push(performance.now() - t), (error: Error) => noteError(i, error.message));
        continue;
      }
      let spec: RequestSpec;
      try {
        spec = c.request!(ctx, i);
      } catch (error) {
        noteError(i, `request(): ${(error as Error).message}`);
        continue;
      }
      const t = performance.now();
      let res: HttpResponse;
      try {
        res = await send(ctx, spec);
      } catch (error) {
        noteError(i, `${spec.method} ${spec.path}: ${(error as Error).message}`);
        continue;
      }
      const ms = performance.now() - t;
      if (res.status !== spec.expect) {
        noteError(i, `${spec.method} ${spec.path}: expected ${spec.expect}, got ${describe(res)}`);
        continue;
      }
      samples.push(ms);
      try {
        c.check?.(ctx, i, res);
      } catch (error) {
        noteError(i, `check: ${(error as Error).message}`);
      }
    }
  };

  const t0 = performance.now();
  await Promise.all(Array.from({ length: Math.min(c.concurrency, count) }, worker));
  const wallMs = performance.now() - t0;
  await c.finish?.(ctx);
  return { id: c.id, title: c.title, concurrency: c.concurrency, ...summarize(samples, errors, wallMs), errorSamples };
}
