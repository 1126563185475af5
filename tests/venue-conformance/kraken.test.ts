import { krakenSetup } from './harness.ts';
import { runVenueConformance } from './suite.ts';

// The same flows against the Kraken venue (adapters/kraken/venue.ts) talking real HTTP to the fake
// exchange (adapters/fake-kraken), executions by REST reconciliation (`pollExecutions`).
runVenueConformance('kraken venue over HTTP to the fake exchange', async (script) => (await krakenSetup(script)).harness);
