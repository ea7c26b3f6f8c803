import type { VoiceLanguage } from '../../config/channels/twilio.schema.js';

/**
 * What the hotline says, per IVR language. Kept short on purpose: callers give up
 * on long menus, so the first prompt invites them to just say what is wrong.
 */
export interface IvrPrompts {
  welcome(brand: string): string;
  menu: string;
  /** Spoken in the *other* language's voice: "For English, press 8." / "中文服务请按8。" */
  switchLanguage: string;
  closed(brand: string): string;
  describeProblem: string;
  orderNumber: string;
  orderThanks: string;
  connectingOnCall: string;
  connectingAgent: string;
  noAnswer: string;
  leaveMessage: string;
  thanksComplaint: string;
  thanksVoicemail: string;
  notUnderstood: string;
  nothingHeard: string;
  goodbye: string;
  /** Texts filed as the message when the caller left no words of their own. */
  emergencyText: string;
  voicemailText(seconds: number): string;
  orderText(order: string): string;
  /** The satisfaction call (customerUpdates.voiceSurvey: call): the question, asked for one key 1–5. */
  surveyQuestion(brand: string): string;
  surveyInvalid: string;
  surveyThanks: string;
  surveyNoAnswer: string;
}

export const PROMPTS: Record<VoiceLanguage, IvrPrompts> = {
  'zh-CN': {
    welcome: (brand) => `您好，欢迎致电${brand}。`,
    menu: '请直接说出您遇到的问题；或按1投诉，按2查询订单，按3转人工客服；涉及人身安全的紧急情况，请按9。',
    switchLanguage: '中文服务请按8。',
    closed: (brand) =>
      `您好，这里是${brand}，现在是非工作时间。涉及人身安全的紧急情况请按9，或直接说明情况；其他问题请在提示音后留言，我们会在工作时间尽快处理。`,
    describeProblem: '请简要说出您遇到的问题，说完后请稍等。',
    orderNumber: '请输入或说出您的订单号，按井号键结束。',
    orderThanks: '好的，我们会尽快通过短信告诉您订单状态。再见。',
    connectingOnCall: '正在为您转接值班负责人，请不要挂机。',
    connectingAgent: '正在为您转接人工客服，请稍候。',
    noAnswer: '抱歉，暂时无人接听。',
    leaveMessage: '请在提示音后留言，说完请按井号键或直接挂机。',
    thanksComplaint: '谢谢，您的投诉已登记，工单号会通过短信发送给您。再见。',
    thanksVoicemail: '谢谢您的留言，我们会尽快与您联系。再见。',
    notUnderstood: '抱歉，没有听清您的选择。',
    nothingHeard: '没有收到您的输入。',
    goodbye: '没有收到留言，再见。',
    emergencyText: '来电者在语音菜单中选择了人身安全紧急情况（按9），已转接值班负责人。',
    voicemailText: (s) => `语音留言（${s} 秒），请收听录音。`,
    orderText: (o) => `电话查询订单状态，订单号：${o}`,
    surveyQuestion: (brand) =>
      `您好，这里是${brand}。您反映的问题已经处理完毕。请为本次服务打分：非常满意请按5，满意请按4，一般请按3，不满意请按2，非常不满意请按1。`,
    surveyInvalid: '请按1到5之间的一个数字。',
    surveyThanks: '感谢您的评价，再见。',
    surveyNoAnswer: '没有收到您的评分，再见。',
  },
  'en-US': {
    welcome: (brand) => `Hello, and thank you for calling ${brand}.`,
    menu: 'Please tell us briefly what went wrong. Or press 1 to file a complaint, 2 for order status, 3 to talk to an agent. For a safety emergency, press 9.',
    switchLanguage: 'For English, press 8.',
    closed: (brand) =>
      `Thank you for calling ${brand}. We are closed right now. For a safety emergency, press 9 or tell us what happened. Otherwise, please leave a message after the tone and we will get back to you during business hours.`,
    describeProblem: 'Please describe your problem briefly, then wait a moment.',
    orderNumber: 'Please enter or say your order number, then press the pound key.',
    orderThanks: 'Thank you. We will text you the status of your order shortly. Goodbye.',
    connectingOnCall: 'Connecting you to our on-call lead now. Please stay on the line.',
    connectingAgent: 'Connecting you to an agent, please hold.',
    noAnswer: 'Sorry, nobody could take your call right now.',
    leaveMessage: 'Please leave a message after the tone, then press the pound key or hang up.',
    thanksComplaint: 'Thank you. Your complaint is registered and we will text you the ticket number. Goodbye.',
    thanksVoicemail: 'Thank you for your message. We will get back to you soon. Goodbye.',
    notUnderstood: 'Sorry, we did not get your choice.',
    nothingHeard: 'We did not hear anything.',
    goodbye: 'No message was recorded. Goodbye.',
    emergencyText: 'The caller chose the safety emergency option (9) and was put through to the on-call lead.',
    voicemailText: (s) => `Voicemail (${s} s); listen to the recording.`,
    orderText: (o) => `Order status inquiry by phone, order number: ${o}`,
    surveyQuestion: (brand) =>
      `Hello, this is ${brand}. The problem you reported has been resolved. Please rate our service: press 5 if you are very satisfied, 4 satisfied, 3 neutral, 2 dissatisfied, or 1 very dissatisfied.`,
    surveyInvalid: 'Please press one key from 1 to 5.',
    surveyThanks: 'Thank you for your rating. Goodbye.',
    surveyNoAnswer: 'We did not get a rating. Goodbye.',
  },
};
