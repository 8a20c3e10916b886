export { EventBatcher } from './event-batcher.js';
export { NovaClient, NovaUnavailableError, type NovaReply } from './nova-client.js';
export { isComputePort, isUuidLike, type NovaEvent, novaEventsFor, type PortChange, portChangeOf } from './nova-events.js';
export { localIdentityUrl, NovaNotifier, type NovaEventsJob } from './nova-notifier.service.js';
export { NovaNotifierModule } from './nova-notifier.module.js';
export { ServiceToken, type ServiceCredentials } from './service-token.js';
