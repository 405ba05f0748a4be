// The sentences answering `tz`, written with the medium's wording (zone names come from the zone database).

import type { Wording } from "./wording.js";
import { placeOfZone } from "./zone-clock.js";

export type UserZoneAnswer =
  | { kind: "zone-set"; zone: string }
  | { kind: "zone-cleared"; hadChosen: boolean; profileZone?: string }
  | { kind: "zone-shown"; zone?: string; source?: "profile" | "chosen" };

export function describeUserZone(answer: UserZoneAnswer, w: Wording): string {
  switch (answer.kind) {
    case "zone-set":
      return `${w.text("Your time zone is now ")}${w.code(answer.zone)}${w.text(`: times in my answers are shown in ${placeOfZone(answer.zone)} time. Forget it with `)}${w.command("tz clear")}${w.text(".")}`;
    case "zone-cleared": {
      const after = answer.profileZone
        ? `${w.text(" Your profile's zone applies again: ")}${w.code(answer.profileZone)}${w.text(".")}`
        : w.text(" I know no other zone for you.");
      return answer.hadChosen
        ? `${w.text("Forgot the time zone you chose.")}${after}`
        : `${w.text("You had not chosen a time zone.")}${after}`;
    }
    case "zone-shown":
      if (!answer.zone) {
        return `${w.text("I don't know your time zone. Set it with ")}${w.command("tz <zone>")}${w.text(", e.g. ")}${w.command("tz Asia/Tokyo")}${w.text(".")}`;
      }
      return answer.source === "chosen"
        ? `${w.text("Your time zone is ")}${w.code(answer.zone)}${w.text(" (you chose it; ")}${w.command("tz clear")}${w.text(" forgets it).")}`
        : `${w.text("Your time zone is ")}${w.code(answer.zone)}${w.text(", from your profile. Choose another with ")}${w.command("tz <zone>")}${w.text(".")}`;
  }
}
