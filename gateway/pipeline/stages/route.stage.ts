import type { RouteResult, Stage, IntakeContext } from '../context.js';

export type Router = (ctx: IntakeContext) => RouteResult;

/** Decides queue, priority and tags for a new ticket. */
export function routeStage(router: Router): Stage {
  return {
    name: 'route',
    async run(ctx, next) {
      ctx.route = router(ctx);
      await next();
    },
  };
}

/** The router used when no routing rules are configured: everything to the default queue. */
export function defaultQueueRouter(queue: string): Router {
  return () => ({ queue, priority: 'normal', tags: [], fired: [] });
}
