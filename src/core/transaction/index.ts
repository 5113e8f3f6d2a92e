/** 取引認証: transactions bound to payee and amount (SPEC.md, "Transaction authentication"). */
export * from './transaction.js';
