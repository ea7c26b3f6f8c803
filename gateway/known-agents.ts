import type { RoutingConfig } from '../config/routing.schema.js';
import type { PersonRole } from '../storage/token.store.js';
import type { UserStore } from '../storage/user.store.js';
import { BadRequestError } from './errors.js';

/** The people tickets are assigned to. */
export interface KnownAgent {
  name: string;
  displayName: string;
  role: PersonRole;
  /** "user": an active console user; "routing": listed in a queue of routing.yaml (round robin takes them). */
  source: 'user' | 'routing';
}

/** Console users who work tickets. Admins and finance sign in too, but are not assigned tickets. */
const AGENT_ROLES: readonly PersonRole[] = ['agent', 'lead'];

const WHERE_AGENTS_COME_FROM =
  'assign to an active console user with role agent or lead (gateway user list), or to an agent listed in a queue of routing.yaml; GET /api/v1/agents lists them';

/** Who may be an assignee: active agent and lead users, plus the agents routing.yaml's queues list. */
export class KnownAgents {
  constructor(
    private readonly users: UserStore,
    private readonly routing: () => RoutingConfig,
  ) {}

  async list(): Promise<KnownAgent[]> {
    const byName = new Map<string, KnownAgent>();
    for (const u of await this.users.active(AGENT_ROLES))
      byName.set(u.username, { name: u.username, displayName: u.displayName, role: u.role, source: 'user' });
    for (const id of this.routingAgents()) if (!byName.has(id)) byName.set(id, { name: id, displayName: id, role: 'agent', source: 'routing' });
    return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Refuses a name nobody works under: a typo would otherwise park the ticket with no one. */
  async assertKnown(name: string): Promise<void> {
    if (this.routingAgents().has(name)) return;
    const user = await this.users.findByUsername(name);
    if (user && !user.disabled && AGENT_ROLES.includes(user.role)) return;
    throw new BadRequestError(`unknown agent "${name.slice(0, 128)}": ${WHERE_AGENTS_COME_FROM}`);
  }

  private routingAgents(): Set<string> {
    return new Set(this.routing().queues.flatMap((q) => q.agents.map((a) => a.id)));
  }
}
