export * from './digests.ts';
export * from './embeddings.ts';
export * from './inquiries.ts';
export * from './mirrors.ts';
export * from './outbox.ts';
export * from './platform.ts';
