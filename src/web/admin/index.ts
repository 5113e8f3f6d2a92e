export { adminPlugin } from './admin.js';
export {
  DEFAULT_ADMIN_IDLE_MS,
  DEFAULT_ADMIN_LIMITS,
  type AdminLimits,
  type AdminOptions,
} from './context.js';
