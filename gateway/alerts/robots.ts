import type { RobotKind } from '../../contracts/webhook-events.js';
import { dingtalkRobot } from './dingtalk.robot.js';
import { feishuRobot } from './feishu.robot.js';
import type { RobotProvider } from './robot.js';
import { slackRobot } from './slack.robot.js';
import { wecomRobot } from './wecom.robot.js';

/** The chat-room robot vendors, listed by hand. */
export const ROBOT_PROVIDERS: Record<RobotKind, RobotProvider> = {
  dingtalk: dingtalkRobot,
  feishu: feishuRobot,
  wecom: wecomRobot,
  slack: slackRobot,
};
