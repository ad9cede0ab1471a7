export * from './build-digest.ts';
export * from './digest-source.ts';
export * from './make-digest.ts';
export * from './periods.ts';
export * from './sla-kpis.ts';
export * from './types.ts';
