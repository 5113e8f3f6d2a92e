export type {
  DeactivateRequest,
  IssuedToken,
  IssueTokenRequest,
  OtpAnswer,
  PlatformClient,
  TenantInfo,
  TokenInfo,
} from './platform-client.js';
export { createInProcessClient, type InProcessClientOptions } from './in-process.js';
export { createHttpClient, type HttpClientOptions } from './http.js';
