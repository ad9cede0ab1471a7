export { SLACK_EVENTS_PATH } from './context.ts';
export { createSlackRuntime, type SlackRuntimeOptions } from './runtime.ts';
export { createSlackSender } from './sender.ts';
export { verifySlackSignature, signSlackRequest } from './verify-signature.ts';
