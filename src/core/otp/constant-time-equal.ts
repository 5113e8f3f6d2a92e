/**
 * Compares two strings in time that depends only on their length, not on where they differ.
 *
 * An early-exit `===` lets an attacker learn, one character at a time, how much of a guess is
 * right by timing the rejection. Lengths are public (an OTP's length is part of the token's
 * policy), so a length mismatch returns at once; otherwise every UTF-16 code unit is XORed into
 * an accumulator and the accumulator is tested once at the end.
 *
 * @param a - the first string
 * @param b - the second string
 * @returns true when the strings are equal
 */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) {
    difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  }
  return difference === 0;
}
