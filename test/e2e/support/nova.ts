import { FakeNova } from '../../../libs/nova-notifier/testing/fake-nova.js';

export { FakeNova };

/** Nova's os-server-external-events endpoint on 127.0.0.1:`port` (0: any free port), recording every request. */
export async function startFakeNova(port = 0): Promise<FakeNova> {
  const nova = new FakeNova(port);
  await nova.start();
  return nova;
}
