import { Injectable, Logger } from '@nestjs/common';
import type { ApiObject, RequestContext } from '../../api/resource/resource-definition.js';
import type {
  BindingRequest,
  BindingResult,
  CommittedContext,
  HookPhase,
  MechanismDriver,
  ResourceContext,
  ResourceKind,
} from './mechanism-driver.js';

type Hook = (ctx: CommittedContext | ResourceContext) => unknown;

/**
 * Calls the configured mechanism drivers in order (ML2's MechanismManager): every driver's pre-commit hook inside the
 * transaction, every post-commit hook after it (both from ML2's resource-event subscribers), and bind_port until one
 * driver binds.
 */
@Injectable()
export class MechanismManager {
  private readonly logger = new Logger('ML2');

  constructor(readonly drivers: MechanismDriver[]) {}

  /** Every driver's pre-commit hook, in order, inside the unit of work: a throw rolls the request back. */
  async precommit(ctx: RequestContext, phase: HookPhase, kind: ResourceKind, current: ApiObject, original?: ApiObject): Promise<void> {
    const pre = `${phase}${kind}Precommit` as keyof MechanismDriver;
    for (const driver of this.drivers) {
      const hook = driver[pre] as Hook | undefined;
      if (hook) await hook.call(driver, { em: ctx.em, ctx, current, original });
    }
  }

  /** Every driver's post-commit hook, in order, after commit: a failure is logged, the write already succeeded. */
  async postcommit(phase: HookPhase, kind: ResourceKind, current: ApiObject, original?: ApiObject): Promise<void> {
    const post = `${phase}${kind}Postcommit` as keyof MechanismDriver;
    for (const driver of this.drivers) {
      const hook = driver[post] as Hook | undefined;
      if (!hook) continue;
      try {
        await hook.call(driver, { current, original });
      } catch (err) {
        this.logger.error(`${driver.name} ${String(post)} failed for ${String(current.id)}: ${(err as Error).message}`);
      }
    }
  }

  /** Agent types the binder must load for the host (one query for all drivers). */
  get agentTypes(): string[] {
    return [...new Set(this.drivers.map((d) => d.agentType).filter((t): t is string => !!t))];
  }

  bind(request: BindingRequest): { driver: string; result: BindingResult } | undefined {
    for (const driver of this.drivers) {
      const result = driver.bindPort?.(request);
      if (result) return { driver: driver.name, result };
    }
    return undefined;
  }
}
