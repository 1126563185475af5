import { simHarness } from './harness.ts';
import { runVenueConformance } from './suite.ts';

// The conformance flows against the in-process sim venue (adapters/sim).
runVenueConformance('sim venue', simHarness);
