/**
 * The DHCP worker of one network: started by the linux driver with `ip netns exec qdhcp-<network> node <this file>`,
 * fed its state over the IPC channel (which survives ip netns exec), ends when the channel closes (the agent is gone).
 */
import { isServeMessage, type RepliedMessage, type ServedMessage } from './linux/worker-protocol.js';
import { NamespaceDhcpServer } from './linux/namespace-dhcp-server.js';

if (!process.send) {
  console.error('dhcp-worker: started without an IPC channel (the linux DHCP driver starts it)');
  process.exit(2);
}

const debug = process.env.DHCP_WORKER_DEBUG === '1';
const server = new NamespaceDhcpServer({
  onEvent: (event) => {
    if (debug) console.log(JSON.stringify(event));
  },
  onReplied: (kind) => process.send?.({ type: 'replied', kind } satisfies RepliedMessage),
  onError: (error) => console.error(`dhcp-worker: ${error.message}`),
});

let queue: Promise<void> = Promise.resolve();
process.on('message', (message: unknown) => {
  if (!isServeMessage(message)) return;
  queue = queue.then(async () => {
    const answer: ServedMessage = { type: 'served', seq: message.seq };
    try {
      const warnings = await server.update(message.state, message.addresses);
      for (const warning of warnings) console.error(`dhcp-worker: ${warning}`);
    } catch (error) {
      answer.error = (error as Error).message;
    }
    process.send?.(answer);
  });
});

process.on('disconnect', () => {
  server.close();
  process.exit(0);
});
process.on('SIGTERM', () => {
  server.close();
  process.exit(0);
});
