export { describeError, type Problem } from './errors.ts';
export { loginUrl, safeNext } from './navigation.ts';
