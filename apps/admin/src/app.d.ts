import type { Theme } from '@app/ui/theme';
import type { Viewer } from '#lib/roles.ts';

declare global {
  namespace App {
    interface Error {
      status: number;
      message: string;
      /** Why the admin app turned the request away, so the error page can say what to do next. */
      reason?: 'wrong-role' | 'api-unreachable';
    }

    /** Loaded by the root layout for every page, error pages included. */
    interface PageData {
      theme: Theme;
      viewer: Viewer | null;
      apiProblem: string | null;
    }
  }
}
