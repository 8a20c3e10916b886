export * from './addresses.js';
export * from './command.js';
export * from './ip.js';
export * from './iptables.js';
export * from './links.js';
export * from './names.js';
export * from './netns.js';
export * from './process-supervisor.js';
