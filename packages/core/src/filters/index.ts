// Word filters: what they read (normalise.ts), how a list matches and masks (matcher.ts), where the compiled
// lists are kept per node (store.ts), who edits them (edit.ts), and the one call each text goes through on its way
// in (screen.ts).
export * from './edit.ts';
export { compileList, type Hit, mask, type Screened, screen } from './matcher.ts';
export { type Normalised, normalise, normaliseWord } from './normalise.ts';
export * from './schemas.ts';
export { blockedSentence, type ScreenedField, screenText } from './screen.ts';
export { type FilterList, type FilterPlace, listsFor } from './store.ts';
