/** The strings in use. One language today; a second one is a file shaped like en.ts, chosen here. */
import { en, type Strings } from './en';

export const t: Strings = en;
