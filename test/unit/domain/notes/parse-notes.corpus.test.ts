// Every real notes file in test/fixtures/podman-notes, against values read off each file by hand.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseNotes, recordingLinkAt } from "../../../../src/domain/notes/parse-notes.js";

const corpusDir = new URL("../../../fixtures/podman-notes/", import.meta.url);

/** [month, day, year?, weekday?] as written in the notes (weekday 0 = Sunday). */
type Written = [month: number, day: number, year?: number, weekday?: number];

interface Expected {
  kind: "community" | "cabal";
  title: string;
  meetingDate: Written;
  meetingDateText: string;
  /** Every topic, in order, with its owners as given. */
  topics: [title: string, owners: string[]][];
  recordingUrl?: string;
  /** Seconds of the first topic's "(m:ss in the video)", when the notes give one. */
  firstTopicSeconds?: number;
  /** Deep link of the first topic, for YouTube recordings. */
  firstTopicLink?: string;
  nextMeetings: [kind: "same" | "community" | "cabal", ...Written][];
  possibleTopics: [title: string, owner?: string][];
}

const TUE = 2;
const THU = 4;

const expectedByFile: Record<string, Expected> = {
  "2020-10-06-community.md": {
    kind: "community",
    title: "Podman Community Meeting", // from the Jekyll front matter: the heading is "{{ page.title }}"
    meetingDate: [10, 6, 2020],
    meetingDateText: "October 6, 2020",
    // "Introductions" and "Questions?" are not topics.
    topics: [
      ["Upcoming", []],
      ["Podman v3.0 Planning", []],
      ["HPC", []],
    ],
    nextMeetings: [["same", 11, 3, 2020, TUE]],
    // Paragraphs, not a list; the third has a remark after the owner and a continuation line.
    possibleTopics: [
      ["Is support for different logging drivers is on the road map in the future?"],
      ["What Red Hat Thinks - Design directions", "Brent Baude"],
      ["I could do a summary of boot2podman/podman-machine (basically a varlink post-mortem)", "Anders Björklund"],
    ],
  },
  "2020-12-01-community.md": {
    kind: "community",
    title: "Podman Community Meeting",
    meetingDate: [12, 1, 2020],
    meetingDateText: "December 1, 2020",
    topics: [
      ["Introducing Network Aliases", ["Matt Heon"]],
      ["Podman Split Brain API", ["Jhon Honce"]],
      ["Demo containers.conf usage", ["Dan Walsh"]],
      ["Podman development update", ["Brent Baude"]],
      ["Discussion on a Podman forum", []],
      ["Any pain points?", []],
      ["systemd discussion", []],
    ],
    recordingUrl: "https://bluejeans.com/s/aOaqCoRSJB4/",
    firstTopicSeconds: 110,
    // Written 2020 for the February 2021 meeting.
    nextMeetings: [["same", 2, 2, 2020, TUE]],
    possibleTopics: [
      ["systemd with containers", "Valentin Rothberg"],
      ["Docker compose with Podman", "Brent Baude"],
    ],
  },
  "2021-04-06-community.md": {
    kind: "community",
    title: "Podman Community Meeting",
    meetingDate: [4, 6, 2021],
    meetingDateText: "April 6, 2021",
    topics: [
      ["Podman Commit Topic Standards", ["Matt Heon"]],
      ["Podman v3.1 Preview", ["Matt Heon"]],
      ["U volume flag to chown source volumes", ["Eduardo Vega"]],
      ["Podman on Mac Preview", ["Brent Baude", "Ashley Cui"]],
    ],
    recordingUrl: "https://bluejeans.com/s/@f3vA2PsK7a",
    firstTopicSeconds: 137,
    nextMeetings: [["same", 5, 4, 2021, TUE]],
    possibleTopics: [],
  },
  "2021-07-15-cabal.md": {
    kind: "cabal",
    title: "Podman Community Cabal Meeting",
    meetingDate: [7, 15, 2021],
    meetingDateText: "July 15, 2021",
    topics: [
      ["Copy an image from container storage to another container storage", []],
      ["New Features for `podman play kube`", []],
      ["Discussion with Training Team", []],
    ],
    recordingUrl: "https://drive.google.com/file/d/1hdLMicPfI9NA_MEuGaHGtyIgw6v28Ojg/view",
    firstTopicSeconds: 590,
    nextMeetings: [["same", 8, 19, 2021, THU]],
    possibleTopics: [],
  },
  "2021-09-16-cabal.md": {
    kind: "cabal",
    title: "Podman Community Cabal Meeting Notes",
    meetingDate: [9, 16, 2021],
    meetingDateText: "September 16, 2021",
    // The first section is not on the agenda list but was discussed; "Open discussion" is not a topic.
    topics: [
      ["Build an Image with a Template File", []],
      ["Podman Desktop", []],
      ["Podman machine volume mounts", []],
    ],
    recordingUrl: "https://drive.google.com/file/d/1kCm-AK0Gqpk5Eua3m26agzxIp8NLR73x/view?usp=drive_web",
    firstTopicSeconds: 42,
    nextMeetings: [["same", 10, 21, 2021, THU]],
    possibleTopics: [
      ["Build an Image with a Template File"],
      [
        "How to handle weekly releases of Desktop, circleCI, appveyor? Desktop builds (like Electron based), install package generation, or signing on macOS required more than the usual offers that are available",
      ],
    ],
  },
  "2022-02-01-community.md": {
    kind: "community",
    title: "Podman Community Meeting",
    meetingDate: [2, 1, 2021], // written 2021 for the 2022 meeting
    meetingDateText: "February 1, 2021",
    topics: [
      ["Container Plumbing Days", ["Tom Sweeney"]],
      ["Podman on Windows Demo", ["Jason Greene"]],
      ["Podman Network", ["Matt Heon"]],
      ["Podman Desktop Companion Demo", ["Ionut Stoicia"]],
      ["Easter Egg", []],
    ],
    recordingUrl: "https://youtu.be/-dVK9CfqeNM",
    firstTopicSeconds: 83,
    firstTopicLink: "https://youtu.be/-dVK9CfqeNM?t=83",
    nextMeetings: [
      ["same", 4, 5, 2021, TUE],
      ["cabal", 2, 17, 2021, THU],
    ],
    possibleTopics: [["Sparsefile handling with Podman", "Giuseppe Scrivano"]],
  },
  "2022-09-15-cabal.md": {
    kind: "cabal",
    title: "Podman Community Cabal Meeting Notes",
    meetingDate: [9, 15, 2022],
    meetingDateText: "September 15, 2022",
    // Agenda items and section headings word the same six topics differently; the headings win.
    topics: [
      ["Quadlet/Kubernetes yaml support", ["Valentin Rothberg"]],
      ["ZSTD Support", ["Dan Walsh"]],
      ["Confidential Computing", ["Dan Walsh"]],
      ["Landlock Support", ["Dan Walsh"]],
      ["Podman desktop packaging", ["Lokesh Mandvekar"]],
      ["Podman kube apply", ["Urvashi Mohnani"]],
    ],
    recordingUrl: "https://youtu.be/mAUUGASnmIk",
    firstTopicSeconds: 50,
    firstTopicLink: "https://youtu.be/mAUUGASnmIk?t=50",
    nextMeetings: [
      ["same", 10, 20, 2022, THU],
      ["community", 10, 4, 2022, TUE],
    ],
    possibleTopics: [], // "October 20, 2022 Topics: 1. None"
  },
  "2023-01-19-cabal.md": {
    kind: "cabal",
    title: "Podman Community Cabal Meeting Notes",
    meetingDate: [1, 19, 2023],
    meetingDateText: "Jauary 19, 2023", // sic
    topics: [
      ["Podman v4.4 Update", ["Matt Heon"]],
      ["Autoclosing issues in GitHub", ["Ed Santiago"]],
      ["Time-to-merge-tool using AI", ["Aakanksha Duggal"]],
    ],
    recordingUrl: "https://youtu.be/YCi6KuC9ESw",
    firstTopicSeconds: 50,
    firstTopicLink: "https://youtu.be/YCi6KuC9ESw?t=50",
    nextMeetings: [
      ["same", 2, 16, 2023, THU],
      ["community", 2, 7, 2023, TUE],
    ],
    possibleTopics: [],
  },
  "2023-04-20-cabal.md": {
    kind: "cabal",
    title: "Podman Community Cabal Meeting Notes",
    meetingDate: [4, 20, 2023], // only in "April 20, 2023 Topics"
    meetingDateText: "April 20, 2023",
    topics: [
      ["Possible Podman 5 features", ["Dan Walsh"]],
      ["Bug Week", ["Matt Heon"]],
    ],
    recordingUrl: "https://youtu.be/_NnWUqyaBmw",
    firstTopicSeconds: 74,
    firstTopicLink: "https://youtu.be/_NnWUqyaBmw?t=74",
    nextMeetings: [
      ["same", 5, 18, 2023, THU],
      ["community", 6, 6, 2023, TUE],
    ],
    possibleTopics: [
      ["containersh", "Dan Walsh"],
      ["Storage - allow layers to be split across multiple files", "Anders Bjorklund"],
    ],
  },
  "2023-06-06-community.md": {
    kind: "community",
    title: "Podman Community Meeting Notes",
    meetingDate: [6, 6, 2023],
    meetingDateText: "June 6, 2023",
    topics: [
      ["ChRIS project running in Podman via Podman desktop", ["Jennings Zhang", "Rudolph Pienaar"]],
      ["Podman Desktop v1.0 Update", ["Stevan LeMeur"]],
      ["Podmansh Demo", ["Lokesh Mandvekar"]],
      ["Podman v4.6 Demo", ["Matt Heon"]], // the agenda says v4.5 Demo/Talk: same topic
    ],
    recordingUrl: "https://www.youtube.com/watch?v=65pE8RhCK5w&t=116s",
    firstTopicSeconds: 80,
    firstTopicLink: "https://youtu.be/65pE8RhCK5w?t=80",
    nextMeetings: [
      ["same", 8, 1, 2023, TUE],
      ["cabal", 6, 15, 2023, THU],
    ],
    possibleTopics: [["Quadlet Demo", "Dan Walsh"]],
  },
  "2023-12-12-cabal.md": {
    kind: "cabal",
    title: "Podman Community Cabal Meeting Notes",
    meetingDate: [12, 12, 2023], // "December 12, 2023 Topics"; the start line says November 21
    meetingDateText: "December 12, 2023",
    topics: [
      // The agenda names Paul Holzinger; the section (what happened) names Tom Sweeney.
      ["Backports for sub-projects without a Release Branch", ["Tom Sweeney"]],
      ["Confidential Containers", ["Dan Walsh", "Nalin Dhayabi", "Sergio Pascual", "Tyler Fanelli"]],
      ["Artifacts in OCI registry", ["Brent Baude"]],
    ],
    recordingUrl: "https://youtu.be/snmlDKDcMRg",
    firstTopicSeconds: 56,
    firstTopicLink: "https://youtu.be/snmlDKDcMRg?t=56",
    nextMeetings: [
      ["same", 1, 16, 2024, TUE],
      ["community", 2, 6, 2024, TUE],
    ],
    // "Home Automaition" is proposed for the community meeting, not the next cabal.
    possibleTopics: [
      ["Krun and Podman", "Tyler Fanelli"],
      ["crun qemu", "Dan Walsh"],
    ],
  },
  "2024-01-16-cabal.md": {
    kind: "cabal",
    title: "Podman Community Cabal Meeting Notes",
    meetingDate: [1, 16, 2024],
    meetingDateText: "January 16, 2024",
    // The agenda's "Podman support for VMs" was discussed as its two sub-items; "Demo" headings are parts.
    topics: [
      ["podman kube apply", ["Dan Walsh"]],
      ["crun-vm", ["Dan Walsh", "Alberto Faria"]],
      ["Krun and Podman", ["Tyler Fanelli"]],
      ["Image ID consistency", ["Matt Heon"]],
      ["Podman v5.0 Schedule Updates", ["Matt Heon"]],
    ],
    recordingUrl: "https://youtu.be/pOiu3qoplAA",
    firstTopicSeconds: 60,
    firstTopicLink: "https://youtu.be/pOiu3qoplAA?t=60",
    nextMeetings: [
      ["cabal", 2, 20, 2024, TUE],
      ["community", 2, 6, 2024, TUE],
    ],
    possibleTopics: [["Podman kube to handle vm's too?", "Vivek"]],
  },
  "2024-07-02-cabal.md": {
    kind: "cabal",
    title: "Podman Community Cabal Agenda",
    meetingDate: [7, 2, 2024],
    meetingDateText: "Jul 2, 2024",
    topics: [
      ["Konflux for upstream Podman/Buildah/Skopeo images and CI", ["Ralph Bean", "Sumantro Mukherjee", "Chris Evich"]],
      [
        "Community Interaction - bridging (IRC, Discord, Matrix), channels. Choose an official chat platform?",
        ["Matt Heon"],
      ],
    ],
    recordingUrl: "https://www.youtube.com/watch?v=1tTD7VgXI5s",
    firstTopicSeconds: 45,
    firstTopicLink: "https://youtu.be/1tTD7VgXI5s?t=45",
    nextMeetings: [
      ["cabal", 9, 3, 2024, TUE],
      ["community", 8, 6, 2024, TUE],
    ],
    possibleTopics: [],
  },
  "2024-10-01-community.md": {
    kind: "community",
    title: "Podman Community Meeting",
    meetingDate: [10, 1, 2024],
    meetingDateText: "Oct 1, 2024",
    topics: [
      ["Dosu Demonstration", ["Devin Stein"]],
      [
        "Four Podman mini Topics - Windows Installer, WSL disk image as OCI artifact, build -v, and kube play with volume of type image",
        ["Mario Loriedo"],
      ],
    ],
    recordingUrl: "https://youtu.be/NeFsVLS-2lY",
    firstTopicSeconds: 16,
    firstTopicLink: "https://youtu.be/NeFsVLS-2lY?t=16",
    nextMeetings: [
      ["same", 12, 3, 2024, TUE],
      ["cabal", 11, 5, 2024, TUE],
    ],
    possibleTopics: [],
  },
  "2025-07-01-cabal.md": {
    kind: "cabal",
    title: "Podman Community Cabal Notes",
    meetingDate: [7, 1, 2025],
    meetingDateText: "July 1, 2025",
    // Only an AI-written recap: each "Details" bullet runs title, speaker and summary together.
    topics: [
      ["Commit Message Style Enforcement", ["Paul Holzinger"]],
      ["Commit Message Style Implementation", ["Neil Smith"]],
      ["Post-Quantum Cryptography Update", ["Lokesh Mandvekar"]],
      ["Podman Performance on Mac OS and Windows", ["Jan Rodak (Honza)"]],
      ["AI-Generated Code and PRs", ["Neil Smith"]],
      ["Disclosure of AI Assistance", ["Paul Holzinger"]],
      ["Handling Problematic Contributions", ["Mohan Boddu"]],
      ["Community Architect Introduction", ["Laura Santamaria"]],
      ["Governance for Non-CNCF Repositories", ["Brent Baude"]],
      ["Security Policy Review", ["Lokesh Mandvekar"]],
    ],
    firstTopicSeconds: 0, // "(00:00:00)"; no recording link in these notes
    nextMeetings: [],
    possibleTopics: [],
  },
  "2025-08-05-community.md": {
    kind: "community",
    title: "Podman Community Meeting Notes",
    meetingDate: [8, 5, 2025],
    meetingDateText: "August 5, 2025",
    // The introduction section and "Summary" are not topics; "Reproducible Container Builds" on the agenda
    // is the third section under another name.
    topics: [
      ["Orches", ["Ondrej Budai"]],
      ["Podman MCP Uses", ["Brian Smith"]],
      ["Improvements to Build Reproducibility", ["Nalin Dahyabhai"]],
    ],
    recordingUrl: "https://www.youtube.com/watch?v=v8HyyGA679c",
    firstTopicSeconds: 95,
    firstTopicLink: "https://youtu.be/v8HyyGA679c?t=95",
    nextMeetings: [
      ["cabal", 9, 2, 2025, TUE],
      ["community", 10, 7, 2025, TUE],
    ],
    possibleTopics: [],
  },
  "2026-05-05-cabal.md": {
    kind: "cabal",
    title: "Podman Community Cabal Meeting Notes",
    meetingDate: [5, 5, 2026],
    meetingDateText: "May 5, 2026",
    topics: [
      ["Podman v6.0 Update", ["Matt Heon"]],
      ["Cabal and Standup Meetings", ["Tom Sweeney"]], // its timestamp lacks the closing parenthesis
    ],
    recordingUrl: "https://www.youtube.com/watch?v=drwPTQj-dy0",
    firstTopicSeconds: 17,
    firstTopicLink: "https://youtu.be/drwPTQj-dy0?t=17",
    nextMeetings: [["community", 6, 2, 2026, TUE]], // the last cabal: no next cabal
    possibleTopics: [],
  },
  "2026-08-04-community.md": {
    kind: "community",
    title: "Podman Community Meeting Notes",
    meetingDate: [8, 4, 2026],
    meetingDateText: "Aug 4, 2026",
    topics: [
      ["Pasta Forwarding Demo", ["Paul Holzinger"]],
      ["Podman 6.1 RC1 update", ["Paul Holzinger", "Tom Sweeney"]],
      ["LFX Internships for Podman", ["Ashley Cui", "Paul Holzinger", "Tom Sweeney"]],
    ],
    recordingUrl: "https://youtu.be/W3cWHSrQnEQ",
    firstTopicSeconds: 89,
    firstTopicLink: "https://youtu.be/W3cWHSrQnEQ?t=89",
    nextMeetings: [["community", 10, 6, 2026, TUE]],
    possibleTopics: [],
  },
};

const corpusFiles = readdirSync(corpusDir)
  .filter((name) => /^\d{4}-\d{2}-\d{2}-(community|cabal)\.md$/.test(name))
  .sort();

function writtenFields([month, day, year, weekday]: Written) {
  return { month, day, year, weekday };
}

describe("parseNotes on the Podman notes corpus", () => {
  it("has an expectation for every corpus file, and a file for every expectation", () => {
    expect(corpusFiles.length).toBeGreaterThanOrEqual(18);
    expect(corpusFiles).toEqual(Object.keys(expectedByFile).sort());
  });

  describe.each(corpusFiles)("%s", (fileName) => {
    const expected = expectedByFile[fileName];
    const notes = parseNotes(readFileSync(new URL(fileName, corpusDir), "utf8"));

    it("is in the table", () => {
      expect(expected, `no expected values for ${fileName}: read it and add them`).toBeDefined();
    });
    if (!expected) return;

    it("is understood, with kind and title", () => {
      expect(notes.understood).toBe(true);
      expect(notes.kind).toBe(expected.kind);
      expect(notes.kind).toBe(fileName.includes("cabal") ? "cabal" : "community");
      expect(notes.title).toBe(expected.title);
    });

    it("reads the meeting date as written", () => {
      expect(notes.meetingDate).toBeDefined();
      const { month, day, year } = notes.meetingDate ?? { month: 0, day: 0 };
      expect({ month, day, year }).toEqual({
        month: expected.meetingDate[0],
        day: expected.meetingDate[1],
        year: expected.meetingDate[2],
      });
      expect(notes.meetingDate?.text).toBe(expected.meetingDateText);
    });

    it("lists the topics discussed, in order, with their owners", () => {
      expect(notes.topics.map((topic) => [topic.title, topic.owners])).toEqual(expected.topics);
    });

    it("finds the recording and the first topic's place in it", () => {
      expect(notes.recordingUrl).toBe(expected.recordingUrl);
      expect(notes.topics[0]?.videoOffsetSeconds).toBe(expected.firstTopicSeconds);
      const link =
        notes.recordingUrl && notes.topics[0]?.videoOffsetSeconds !== undefined
          ? recordingLinkAt(notes.recordingUrl, notes.topics[0].videoOffsetSeconds)
          : undefined;
      expect(link).toBe(expected.firstTopicLink);
    });

    it("reads the next meetings as written", () => {
      expect(
        notes.nextMeetings.map((mention) => ({ kind: mention.kind, ...mention.written, text: undefined })),
      ).toEqual(
        expected.nextMeetings.map(([kind, ...written]) => ({ kind, ...writtenFields(written), text: undefined })),
      );
    });

    it("imports the possible topics for the next meeting of the same kind", () => {
      expect(notes.possibleTopics.map((topic) => (topic.owner ? [topic.title, topic.owner] : [topic.title]))).toEqual(
        expected.possibleTopics,
      );
    });
  });
});

describe("parseNotes details seen in the corpus", () => {
  const read = (fileName: string) => parseNotes(readFileSync(new URL(fileName, corpusDir), "utf8"));

  it("keeps every topic's timestamp, in all the written forms", () => {
    expect(read("2020-12-01-community.md").topics.map((topic) => topic.videoOffsetSeconds)).toEqual([
      110, 753, 1354, 2310, 2668, 2959, 3079,
    ]);
    expect(read("2026-05-05-cabal.md").topics.map((topic) => topic.videoOffsetSeconds)).toEqual([17, 165]);
    expect(read("2025-08-05-community.md").topics.map((topic) => topic.videoOffsetSeconds)).toEqual([95, 1093, 1744]);
  });

  it("keeps the written weekday and words of a next-meeting date", () => {
    const [next] = read("2020-12-01-community.md").nextMeetings;
    expect(next?.written).toEqual({ text: "Tuesday February 2, 2020", year: 2020, month: 2, day: 2, weekday: TUE });
  });

  it("keeps possible topics of the other kind of meeting on that meeting's mention", () => {
    const notes = read("2023-12-12-cabal.md");
    expect(notes.nextMeetings[1]?.possibleTopics).toEqual([{ title: "Home Automaition" }]);
    expect(notes.nextMeetings[0]?.possibleTopics?.map((topic) => topic.title)).toEqual([
      "Krun and Podman",
      "crun qemu",
    ]);
  });

  it("ignores topics inside pasted chat and transcripts", () => {
    // The 2023-04-20 transcript is 40 KB of "Name: words" lines; none of it may leak into topics.
    const notes = read("2023-04-20-cabal.md");
    expect(notes.topics).toHaveLength(2);
    for (const topic of notes.topics) expect(topic.title).not.toMatch(/:/);
  });
});

describe("recordingLinkAt", () => {
  it.each([
    ["https://youtu.be/-dVK9CfqeNM", 74, "https://youtu.be/-dVK9CfqeNM?t=74"],
    ["https://www.youtube.com/watch?v=65pE8RhCK5w&t=116s", 80, "https://youtu.be/65pE8RhCK5w?t=80"],
    ["https://youtube.com/watch?feature=share&v=65pE8RhCK5w", 0, "https://youtu.be/65pE8RhCK5w?t=0"],
    ["https://m.youtube.com/watch?v=65pE8RhCK5w", 3291, "https://youtu.be/65pE8RhCK5w?t=3291"],
    ["https://www.youtube.com/live/drwPTQj-dy0?si=abc", 17, "https://youtu.be/drwPTQj-dy0?t=17"],
    ["https://www.youtube.com/embed/drwPTQj-dy0", 17.9, "https://youtu.be/drwPTQj-dy0?t=17"],
    ["https://www.youtube-nocookie.com/embed/drwPTQj-dy0", 5, "https://youtu.be/drwPTQj-dy0?t=5"],
    ["https://youtu.be/_NnWUqyaBmw ", 74, "https://youtu.be/_NnWUqyaBmw?t=74"],
  ])("%s at %ss → %s", (url, seconds, link) => {
    expect(recordingLinkAt(url, seconds)).toBe(link);
  });

  it.each([
    ["https://bluejeans.com/s/aOaqCoRSJB4/", 110],
    ["https://drive.google.com/file/d/1hdLMicPfI9NA_MEuGaHGtyIgw6v28Ojg/view", 590],
    ["https://www.youtube.com/channel/UC1234567890", 10],
    ["https://youtu.be/", 10],
    ["https://notyoutube.com/watch?v=65pE8RhCK5w", 10],
    ["not a url", 10],
    ["https://youtu.be/-dVK9CfqeNM", -1],
    ["https://youtu.be/-dVK9CfqeNM", Number.NaN],
  ])("%s at %ss cannot be deep-linked", (url, seconds) => {
    expect(recordingLinkAt(url, seconds)).toBeUndefined();
  });
});

describe("parseNotes on layouts the corpus only hints at", () => {
  it("takes a next-meeting date from the line under its heading", () => {
    const notes = parseNotes("# Podman Community Meeting\n\n## Next Meeting\n\nTuesday, June 2, 2026 11:00 a.m.\n");
    expect(notes.nextMeetings).toEqual([
      { kind: "same", written: { text: "Tuesday, June 2, 2026", year: 2026, month: 6, day: 2, weekday: 2 } },
    ]);
  });

  it("keeps a topic whose heading starts with a date", () => {
    const notes = parseNotes(
      "# Podman Community Cabal Meeting Notes\n## May 5, 2026 11:00 a.m. Eastern\n" +
        "### Meeting Notes\n#### May 25 release plan - Matt Heon - (0:17 in the video)\n#### Other - (1:00 in the video)\n",
    );
    expect(notes.meetingDate?.text).toBe("May 5, 2026");
    expect(notes.topics.map((topic) => topic.title)).toEqual(["May 25 release plan", "Other"]);
  });

  it("reads a bold next-meeting line and a bare recording link", () => {
    const notes = parseNotes(
      "# Podman Community Meeting\n\nRecording: <https://youtu.be/W3cWHSrQnEQ>\n\n**Next Cabal Meeting:** Tuesday, July 7, 2026\n",
    );
    expect(notes.recordingUrl).toBe("https://youtu.be/W3cWHSrQnEQ");
    expect(notes.nextMeetings.map((mention) => [mention.kind, mention.written.text])).toEqual([
      ["cabal", "Tuesday, July 7, 2026"],
    ]);
  });

  it("falls back to the agenda when no section headings name the topics", () => {
    const notes = parseNotes(
      "# Podman Community Cabal Meeting Notes\n## Topics\n1. Podman 6.0 update - Delayed! - Matt Heon\n2. Open discussion\n",
    );
    expect(notes.topics).toEqual([{ title: "Podman 6.0 update - Delayed!", owners: ["Matt Heon"] }]);
  });
});
