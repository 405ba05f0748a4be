// What the bot reads from Slack's payloads, validated at the edge: ids of the expected shape, bounded text.
import { z } from "zod";
import { TOPIC_FORM } from "./render-home.js";

const userId = z.string().regex(/^[UW][A-Z0-9]{2,}$/, "is not a Slack user id");
const channelId = z.string().regex(/^[CDG][A-Z0-9]{2,}$/, "is not a Slack channel id");

/** The fields of a slash command the bot uses. Slack caps command text well below 4000 characters. */
export const commandPayload = z.object({
  text: z.string().max(4000, "is too long").default(""),
  user_id: userId,
  user_name: z.string().max(80).default(""),
  channel_id: channelId,
});

/** A person's message in a DM or a mention: who, where, and what (Slack caps messages at 40 000 characters). */
export const personMessage = z.object({
  user: userId,
  channel: channelId,
  text: z.string().max(40_000).default(""),
  ts: z.string(),
  thread_ts: z.string().optional(),
});

/** `app_home_opened`: who opened which tab of the app (the Home, or the Messages tab). */
export const homeOpenedEvent = z.object({
  user: userId,
  tab: z.string().max(40).default("home"),
});

/** A meeting id as the Home's buttons and the modal's menu carry it (empty: no meeting chosen). */
const meetingRef = z.string().max(100);

/** The person who clicked or submitted, as interactivity payloads name them. */
const actor = z.object({
  id: userId,
  username: z.string().max(80).optional(),
  name: z.string().max(80).optional(),
});

/** A click on a button in the Home: who, which button, for which meeting, and the trigger for a modal. */
export const homeAction = z.object({
  user: actor,
  trigger_id: z.string().max(255),
  actions: z.array(z.object({ action_id: z.string().max(255), value: meetingRef.default("") })).min(1),
});

/**
 * The "propose a topic" modal submitted: the chosen meeting and the title as typed. The title may be longer than
 * the limit (up to what Slack's inputs allow), so the agenda rules can refuse it with the limit in the message.
 */
export const topicSubmission = z.object({
  user: actor,
  view: z.object({
    state: z.object({
      values: z.object({
        [TOPIC_FORM.meetingBlock]: z
          .object({
            [TOPIC_FORM.meetingAction]: z.object({
              selected_option: z.object({ value: meetingRef }).nullish(),
            }),
          })
          .optional(),
        [TOPIC_FORM.titleBlock]: z
          .object({ [TOPIC_FORM.titleAction]: z.object({ value: z.string().max(3000).nullish() }) })
          .optional(),
      }),
    }),
  }),
});

export type CommandPayload = z.infer<typeof commandPayload>;
export type PersonMessage = z.infer<typeof personMessage>;

/** A short sentence for the person when Slack sent something the bot cannot use. */
export function payloadProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  return `Slack sent a request I cannot read (${issue?.path.join(".") ?? "payload"} ${issue?.message ?? "is invalid"}).`;
}
