export { loginUrl, safeNext } from './navigation.ts';
