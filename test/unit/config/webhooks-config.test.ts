import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ConfigError, formatProblem, loadConfig } from '../../../config/loader.js';

/** A copy of the shipped config with webhooks.yaml (and optionally routing.yaml) replaced. */
function dirWith(webhooksYaml: string, routingEdit?: (text: string) => string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gw-webhooks-config-'));
  cpSync('config', dir, { recursive: true, filter: (src) => !src.endsWith('.ts') });
  writeFileSync(path.join(dir, 'webhooks.yaml'), webhooksYaml);
  if (routingEdit) writeFileSync(path.join(dir, 'routing.yaml'), routingEdit(readFileSync(path.join(dir, 'routing.yaml'), 'utf8')));
  return dir;
}

function problems(dir: string, env: Record<string, string> = {}): string[] {
  try {
    loadConfig({ dir, env });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => formatProblem({ ...p, file: path.basename(p.file) }));
    throw err;
  }
  return [];
}

describe('config/webhooks.yaml', function () {
  it('ships with no subscriptions or robots and the documented delivery defaults', function () {
    const cfg = loadConfig({ dir: 'config', env: {} });
    expect(cfg.webhooks.subscriptions).to.deep.equal([]);
    expect(cfg.webhooks.robots).to.deep.equal([]);
    expect(cfg.webhooks.delivery).to.include({ maxAttempts: 20, timeoutSeconds: 10, keepDays: 30 });
  });

  it('names the line of a secret or robot address that is not set, or too short', function () {
    const dir = dirWith(`subscriptions:
  - id: crm
    url: https://crm.example.com/hooks
    secretEnv: CRM_SECRET
    events: [ticket.created]
robots:
  - id: ops
    kind: dingtalk
    urlEnv: DINGTALK_URL
    secretEnv: DINGTALK_SECRET
`);
    expect(problems(dir)).to.deep.equal([
      'webhooks.yaml:4 subscriptions[0].secretEnv: CRM_SECRET is not set (the signing secret of "crm")',
      'webhooks.yaml:9 robots[0].urlEnv: DINGTALK_URL is not set (the webhook address of robot "ops")',
      'webhooks.yaml:10 robots[0].secretEnv: DINGTALK_SECRET is not set (the signing secret of robot "ops")',
    ]);
    expect(problems(dir, { CRM_SECRET: 'short', DINGTALK_URL: 'not a url', DINGTALK_SECRET: 'SEC123' })).to.deep.equal([
      'webhooks.yaml:4 subscriptions[0].secretEnv: CRM_SECRET: at least 16 characters',
      'webhooks.yaml:9 robots[0].urlEnv: DINGTALK_URL: not an http(s) URL',
    ]);
    expect(
      problems(dir, { CRM_SECRET: 'a-long-enough-secret', DINGTALK_URL: 'https://oapi.dingtalk.com/robot/send?access_token=x', DINGTALK_SECRET: 'SEC123' }),
    ).to.deep.equal([]);
  });

  it('refuses an unknown event and a signing secret for a robot that is not signed', function () {
    const dir = dirWith(`subscriptions:
  - { id: a, url: https://x.example/h, secretEnv: S, events: [ticket.exploded] }
robots:
  - { id: r, kind: wecom, urlEnv: W, secretEnv: S }
`);
    const found = problems(dir, { S: 'a-long-enough-secret', W: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k' });
    expect(found).to.have.length(2);
    expect(found[0]).to.match(/^webhooks\.yaml:2 subscriptions\[0\]\.events\[0\]: Invalid option/);
    expect(found[1]).to.equal(
      'webhooks.yaml:4 robots[0].secretEnv: WeCom group robots are not signed (the key is the secret part of the URL): remove secretEnv',
    );
  });

  it('refuses an id used twice', function () {
    const dir = dirWith(`robots:
  - { id: r, kind: slack, urlEnv: W }
  - { id: r, kind: slack, urlEnv: W }
`);
    expect(problems(dir, { W: 'https://hooks.slack.com/services/T/B/x' })).to.deep.equal(['webhooks.yaml:3 robots[1].id: "r" is used twice in robots']);
  });

  it('refuses a routing rule that notifies a robot webhooks.yaml does not define, naming the rule and its line', function () {
    const dir = dirWith('robots: []\n', (text) =>
      text.replace(
        /^rules:\s*\n/m,
        (m) => `${m}  - id: to-the-room\n    description: tell the room\n    then: { notify: [{ robot: ops-room }], stop: false }\n`,
      ),
    );
    expect(problems(dir)).to.deep.equal([
      'routing.yaml:47 rules[0].then.notify[0].robot: rule "to-the-room": unknown robot "ops-room" (webhooks.yaml defines no robots)',
    ]);
  });
});
