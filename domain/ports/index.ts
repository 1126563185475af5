/** Interfaces only: the boundaries between the domain and the world (DESIGN.md §1). */
export type * from './strategy.ts';
export type * from './venue.ts';
export type * from './notifier.ts';
export type * from './advisor.ts';
