export * from './l2-agent.js';
export * from './l2-agents.js';
export * from './l2-agents.module.js';
export * from './l2-core.js';
export * from './l2-driver.js';
export * from './linux-l2-driver.js';
export * from './linuxbridge-names.js';
export * from './simulated-l2-driver.js';
