// tsc does not copy non-TS files; migrations are plain SQL read at run time.
import { cpSync, existsSync } from 'node:fs';
for (const dialect of ['sqlite', 'postgres']) {
  const from = `src/store/${dialect}/migrations`;
  if (existsSync(from)) cpSync(from, `dist/store/${dialect}/migrations`, { recursive: true });
}
