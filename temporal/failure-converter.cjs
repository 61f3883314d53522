// Loaded by path (DataConverter.failureConverterPath) in the worker, the API's client and the workflow bundle,
// so it is plain CommonJS that both require() and the bundler read. encodeCommonAttributes moves a failure's
// message and stack trace into a payload, which the encryption codec then seals: error messages can carry
// personal data (an email address in a provider's refusal), and Temporal keeps histories in plain storage.
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
