import { ConfigError } from './load-config.js';

/** A process's last word on a failed start: a config error as its message, anything else with its stack; exit 1. */
export function failedToStart(service: string) {
  return (error: unknown): never => {
    if (error instanceof ConfigError) process.stderr.write(`${error.message}\n`);
    else process.stderr.write(`${service} failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  };
}
