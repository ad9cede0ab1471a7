export * from './business-clock.ts';
export * from './calendar.ts';
export * from './duration.ts';
export * from './hours.ts';
export * from './inquiry-sla.ts';
export * from './overdue.ts';
export * from './policy.ts';
