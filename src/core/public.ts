/** What every entry point re-exports from the core: the errors and the shared option types. */
export type { EnvSource } from './env.js';
export type {
  ApiErrorInit,
  FieldViolation,
  FieldViolations,
  Provider,
  ValidationIssue,
  WebhookSignatureErrorCode,
} from './errors.js';
export {
  ApiError,
  NetworkError,
  ProvisionKitError,
  TimeoutError,
  ValidationError,
  WebhookPayloadError,
  WebhookSignatureError,
} from './errors.js';
export type {
  ObservabilityHooks,
  ProvisionKitRequestInfo,
  ProvisionKitRequestInfo as RequestInfo,
  ProvisionKitResponseInfo,
  ProvisionKitResponseInfo as ResponseInfo,
} from './observe.js';
export type { TransportOptions } from './options.js';
