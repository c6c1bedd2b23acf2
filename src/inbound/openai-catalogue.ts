/**
 * OpenAI webhook event types, for the event-type picker and
 * docs. The list keeps growing, so an unknown `type` is never an error: it is
 * stored and routed generically. The first 15 are the openai-node v6 unions;
 * the others are typed only in 7.x (live.call.incoming) or only documented.
 */
export interface OpenAIEventType {
  name: string;
  description: string;
}

export const OPENAI_EVENT_TYPES: readonly OpenAIEventType[] = [
  { name: 'batch.cancelled', description: 'A batch was cancelled.' },
  { name: 'batch.completed', description: 'A batch completed.' },
  { name: 'batch.expired', description: 'A batch expired before it completed.' },
  { name: 'batch.failed', description: 'A batch failed.' },
  { name: 'eval.run.canceled', description: 'An eval run was canceled.' },
  { name: 'eval.run.failed', description: 'An eval run failed.' },
  { name: 'eval.run.succeeded', description: 'An eval run succeeded.' },
  { name: 'fine_tuning.job.cancelled', description: 'A fine-tuning job was cancelled.' },
  { name: 'fine_tuning.job.failed', description: 'A fine-tuning job failed.' },
  { name: 'fine_tuning.job.succeeded', description: 'A fine-tuning job succeeded.' },
  {
    name: 'realtime.call.incoming',
    description: 'A SIP call arrived for the Realtime API (data: call_id, sip_headers).',
  },
  { name: 'response.cancelled', description: 'A background response was cancelled.' },
  { name: 'response.completed', description: 'A background response completed.' },
  { name: 'response.failed', description: 'A background response failed.' },
  { name: 'response.incomplete', description: 'A background response ended incomplete.' },
  {
    name: 'live.call.incoming',
    description: 'A SIP call arrived for a live session (openai-node 7.x; data: session_id, sip_headers).',
  },
  { name: 'agent.session.created', description: 'An Agents API session was created.' },
  {
    name: 'agent.session.action_required',
    description:
      'An Agents API session needs input (data.required_action.type: function_call, environment_connection or computer_use_approval_request).',
  },
  { name: 'agent.session.in_progress', description: 'An Agents API session is running.' },
  { name: 'agent.session.idle', description: 'An Agents API session is idle.' },
  { name: 'agent.session.failed', description: 'An Agents API session failed.' },
  { name: 'safety.warning_issued', description: 'A safety-enforcement warning was issued to the organization.' },
  { name: 'safety.deactivation_issued', description: 'A safety-enforcement deactivation was issued.' },
  { name: 'safety.alert.created', description: 'A safety alert was created.' },
  { name: 'safety.org_alert.created', description: 'An organization-level safety alert was created.' },
];
