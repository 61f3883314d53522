// The workflowsPath the worker bundles: every workflow type, exported by name.
export { conversationWorkflow } from './conversation.js';
