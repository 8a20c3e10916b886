import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_RULES } from './default-rules.js';
import { PolicyEngine } from './policy-engine.js';
import * as ruleParser from './rule-parser.js';

vi.mock('./rule-parser.js', async (original) => {
  const actual = await original<typeof ruleParser>();
  return { ...actual, parseRule: vi.fn(actual.parseRule) };
});

const member = { user_id: 'u1', project_id: 'p1', roles: ['member', 'reader'], is_admin: false };

describe('PolicyEngine parses a rule when it is first needed', () => {
  it('parses none of the defaults at construction, then each rule it evaluates once', () => {
    const parse = vi.mocked(ruleParser.parseRule);
    parse.mockClear();
    const engine = new PolicyEngine(DEFAULT_RULES);
    expect(parse).not.toHaveBeenCalled();
    expect(engine.ruleNames()).toHaveLength(Object.keys(DEFAULT_RULES).length);
    expect(engine.hasRule('create_network')).toBe(true);
    expect(parse).not.toHaveBeenCalled();

    const own = { project_id: 'p1', tenant_id: 'p1', shared: false };
    const other = { project_id: 'p2', tenant_id: 'p2', shared: false };
    expect(engine.check('get_network', own, member)).toBe(true);
    expect(engine.check('get_network', other, member)).toBe(false);
    const parsed = parse.mock.calls.length;
    expect(parsed).toBeGreaterThan(0);
    expect(parsed).toBeLessThan(20);
    // The same decisions again: every rule they need is parsed already.
    expect(engine.check('get_network', own, member)).toBe(true);
    expect(engine.check('get_network', other, member)).toBe(false);
    expect(parse.mock.calls.length).toBe(parsed);
  });
});
