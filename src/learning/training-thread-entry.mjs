// Worker-thread entry: a thread does not inherit the main thread's tsx loader, so it registers its
// own before loading the TypeScript that trains.
import { register } from 'tsx/esm/api';

register();
await import('./training-thread.ts');
