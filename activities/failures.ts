/** Failure type names shared by activities (which throw them) and workflows (which branch on them). */
export const Failure = {
  NotFound: 'NotFound',
  ChannelUnavailable: 'ChannelUnavailable',
  MetaTokenRevoked: 'MetaTokenRevoked',
  TemplateMismatch: 'TemplateMismatch',
  InvalidInput: 'InvalidInput',
} as const;
export type FailureType = (typeof Failure)[keyof typeof Failure];
