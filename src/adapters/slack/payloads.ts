// What the bot reads from Slack's payloads, validated at the edge: ids of the expected shape, bounded text.
import { z } from "zod";

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

export type CommandPayload = z.infer<typeof commandPayload>;
export type PersonMessage = z.infer<typeof personMessage>;

/** A short sentence for the person when Slack sent something the bot cannot use. */
export function payloadProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  return `Slack sent a request I cannot read (${issue?.path.join(".") ?? "payload"} ${issue?.message ?? "is invalid"}).`;
}
