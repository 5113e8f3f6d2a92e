export { portalPlugin } from './portal.js';
export { DEFAULT_PORTAL_LIMITS, LIMIT_WITHOUT_OTP, type PortalLimits, type PortalOptions } from './context.js';
