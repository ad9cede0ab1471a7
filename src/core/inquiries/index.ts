export { addMessage } from './add-message.ts';
export { assign } from './assign.ts';
export { claim } from './claim.ts';
export {
  createInquiry,
  createInquiryInput,
  type CreateInquiryInput,
  type CreateOptions,
  prepareGuess,
} from './create-inquiry.ts';
export { react, type ReactionInput, type ReactionResult } from './react.ts';
export { reopen } from './reopen.ts';
export { markReplyFailed, markReplySent, queueReply, replyDestination, retryReply, undoReply } from './replies.ts';
export { resolve } from './resolve.ts';
export { setReason } from './set-reason.ts';
export { unclaim } from './unclaim.ts';
export * from './types.ts';
