import { describe } from 'vitest';
import { invariantSuite } from './suite.ts';

describe('simulation invariants, part 4 of 4', () => invariantSuite(2026_1125_04));
