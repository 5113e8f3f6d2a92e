/**
 * A bank's login page address for the app's 「ワンタイムパスワードでログイン」: http(s) only and
 * without a fragment (the app adds `#otp=…`), so the app can never be handed a script URL.
 */
export function isLoginUrl(v: unknown): v is string {
  return (
    typeof v === 'string' && v.length <= 200 && /^https?:\/\/[^\s#]+$/.test(v) && URL.canParse(v)
  );
}
