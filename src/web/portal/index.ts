export { portalPlugin } from './portal.js';
export {
  DEFAULT_PORTAL_LIMITS,
  LIMIT_WITHOUT_OTP,
  type PortalLimits,
  type PortalOptions,
} from './context.js';
export {
  DEFAULT_PHONE_CHECK_NUMBER,
  PHONE_CHECK_TTL_MS,
  type PhoneCheckPurpose,
  type PhoneCheckService,
  type PhoneCheckState,
} from './phone-check.js';
