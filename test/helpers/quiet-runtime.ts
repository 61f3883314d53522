/** Installs Temporal's runtime once per test process with a logger that prints errors only (the core is chatty). */
import { Runtime } from '@temporalio/worker';

let isInstalled = false;

export const quietRuntime = () => {
  if (isInstalled) return;
  isInstalled = true;
  Runtime.install({
    logger: {
      log: () => undefined,
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: (m) => console.error(m),
    },
    // The native core logs on its own (e.g. the test server's missing heartbeat capability): errors only, through the logger.
    telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } },
  });
};
