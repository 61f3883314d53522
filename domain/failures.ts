/** Failure type names shared by activities (which throw them) and workflows (which branch on them). */
export const Failure = {
  NotFound: 'NotFound',
  ChannelUnavailable: 'ChannelUnavailable',
  MetaTokenRevoked: 'MetaTokenRevoked',
  TemplateMismatch: 'TemplateMismatch',
  InvalidInput: 'InvalidInput',
  /** Retryable: another attempt holds this reply's send claim; the retry waits it out. */
  DeliveryInFlight: 'DeliveryInFlight',
  /** STRIPE_SECRET_KEY is not set: nothing to ask Stripe. */
  BillingNotConfigured: 'BillingNotConfigured',
} as const;
export type FailureType = (typeof Failure)[keyof typeof Failure];
