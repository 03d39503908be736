// Written by `python -m build_scripts.json_schemas` from screening/contract.py: do not edit.

/** A request to the engine: only 'answers' is required; text is trimmed. */
export type ScreeningRequest = {
  /** Item id -> true/false (a yes/no item) or an option id (a choice item); null or left out is no answer. */
  answers: { [key: string]: boolean | string | null };
  /** Item id -> what was seen and when, free text. */
  seen?: { [key: string]: string };
  /** Strengths and protective factors, free text. */
  strengths?: string;
  /** The practitioner's professional judgement of the level. */
  judgement?: {
    /** The level the practitioner chooses; null, left out or the level from the answers agrees. */
    level?: string | null;
    /** Why a different level was chosen. */
    reason?: string;
    /** The practitioner confirms a level below a firm rule's. */
    confirmed?: boolean;
  };
  /** Who and what the screening is about, for the record. */
  record?: {
    /** The child's reference. */
    child?: string;
    /** Who completed the screening. */
    practitioner?: string;
    /** Their agency. */
    agency?: string;
  };
};

/** The result of one screening. */
export type ScreeningResult = {
  /** The protocol's id. */
  protocol: string;
  title: string;
  version: string;
  /** The level from the answers. */
  level: {
    id: string;
    label: string;
    /** 0 is the lowest. */
    rank: number;
    /** How many levels the protocol has. */
    of: number;
    /** Where the level sits in its scale. */
    place: "lowest" | "lower" | "higher" | "highest";
    /** The place in words: "level 2 of 4". */
    position: string;
  };
  /** Null unless the protocol scores. */
  score: {
    value: number;
    band: string | null;
    from: number | null;
  } | null;
  /** Null unless the protocol scores: the band as the level's reason. */
  band_reason: {
    band: string;
    /** The level the band gives. */
    level: string;
    /** A rule lifts the level above the band. */
    lifted: boolean;
    says: string;
  } | null;
  /** The highest level a firm rule that held gives: a judgement below it needs explicit confirmation. */
  confirm_below: {
    level: string;
    label: string;
    rank: number;
    /** The firm rules that give the level. */
    rules: Array<string>;
    /** What those rules say. */
    says: Array<string>;
  } | null;
  /** The professional judgement, checked by the engine. */
  judgement: {
    /** The level chosen; null when agreeing. */
    level: string | null;
    label: string | null;
    /** A level other than the one from the answers was chosen. */
    differs: boolean;
    /** It differs and is lower than confirm_below. */
    below: boolean;
    reason: string;
    confirmed: boolean;
    status: "agrees" | "stands" | "incomplete";
    /** What the judgement still needs, in order; empty unless incomplete. */
    needs: Array<{
      field: "reason" | "confirmation";
      says: string;
    }>;
    /** Why the lower level needs confirmation; empty unless below. */
    confirm_why: string;
  };
  /** Each rule that held, urgent ones first. */
  fired: Array<{
    /** The rule's id ('score' for the score's band). */
    rule: string;
    says: string;
    /** The answers that made the rule hold. */
    items: Array<{
      id: string;
      /** The answer as the form words it. */
      label: string;
    }>;
    level: string | null;
    urgent: boolean;
    /** Declared firm: true in the protocol. */
    firm: boolean;
  }>;
  /** The answers present. */
  present: Array<{
    id: string;
    /** The answer as the form words it. */
    label: string;
  }>;
  /** Every level, lowest first. */
  scale: Array<{
    id: string;
    label: string;
  }>;
  urgent: boolean;
  /** Notes to act on now. */
  urgent_notes: Array<string>;
  notes: Array<string>;
  next_steps: Array<string>;
  caveats: Array<string>;
  /** The whole result in words, section by section: every view renders it as it is. */
  report: Array<{
    id: "act-now" | "level" | "judgement" | "why" | "present" | "options" | "strengths" | "next-steps" | "notes" | "caveats" | "record";
    heading: string;
    lines: Array<{
      text: string;
      /** Sub-points of the line (the answers behind a rule, what was seen and when). */
      items: Array<string>;
    }>;
  }>;
};

/** The engine's reply: a result, or an error (never a traceback). */
export type ScreeningReply = {
  ok: true;
  result: ScreeningResult;
} | {
  ok: false;
  error: {
    type: "RequestError" | "ProtocolError" | "AnswerError" | "UnknownItemError" | "AnswerTypeError" | "MissingAnswerError";
    /** One line that can be shown as it is. */
    message: string;
    /** The item the page should point at, if any. */
    item: string | null;
  };
};
