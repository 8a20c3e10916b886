export * from './dhcp-agent.js';
export * from './dhcp-agents.js';
export * from './dhcp-agents.module.js';
export * from './dhcp-driver.js';
export * from './simulated-dhcp-driver.js';
export * from './linux-dhcp-driver.js';
