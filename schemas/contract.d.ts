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
  /** The whole text of a saved screening record: the result then compares with its latest screening. */
  previous?: string;
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
  /** Null unless the request carried a previous record: what changed since its latest screening. */
  comparison: {
    then: {
      /** When the last screening was saved (ISO 8601, UTC). */
      saved: string;
      /** The level from its answers; null when it was not worked out on the device that saved it. */
      level: {
        id: string;
        label: string;
        /** 0 is the lowest; null when the protocol no longer has the level. */
        rank: number | null;
      } | null;
      judgement: {
        /** The level chosen; null when the practitioner agreed. */
        level: string | null;
        label: string | null;
      };
      /** The reason given for its judgement, if any. */
      reason: string;
    };
    now: {
      level: {
        id: string;
        label: string;
        /** 0 is the lowest; null when the protocol no longer has the level. */
        rank: number | null;
      };
    };
    /** 'unknown' when the level then was not worked out. */
    direction: "rose" | "fell" | "same" | "unknown";
    /** Present now, not then. */
    new: Array<{
      id: string;
      /** The answer as the form words it. */
      label: string;
    }>;
    /** Present then, not now. */
    gone: Array<{
      id: string;
      /** The answer as the form words it. */
      label: string;
    }>;
    /** Present then and now. */
    still: Array<{
      id: string;
      /** The answer as the form words it. */
      label: string;
    }>;
    /** Where the level fell: each level below the level then whose description speaks of a child's earlier levels (speaks_of_earlier_levels in the protocol), quoted from the source. */
    earlier_levels: Array<{
      id: string;
      label: string;
      description: string;
    }>;
    /** Answers of the last screening that this version of the protocol no longer has, in words. */
    set_aside: Array<{
      item: string;
      says: string;
    }>;
  } | null;
  /** Null unless the request carried a previous record: every screening, oldest first, this one last. */
  history: Array<{
    /** When it was saved; null for the screening now, not saved yet. */
    saved: string | null;
    /** Null when the level was not worked out on the device that saved it. */
    level: {
      id: string;
      label: string;
      /** 0 is the lowest; null when the protocol no longer has the level. */
      rank: number | null;
    } | null;
    /** The level by professional judgement, when it differed. */
    judgement_label: string | null;
  }> | null;
  /** The whole result in words, section by section: every view renders it as it is. */
  report: Array<{
    id: "act-now" | "level" | "judgement" | "since" | "history" | "why" | "present" | "options" | "strengths" | "next-steps" | "notes" | "caveats" | "record";
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
  } | {
    type: "RecordError";
    /** What is wrong with the saved record, to be shown as it is. */
    message: string;
    /** The id of the protocol the record belongs to, when it is another protocol's record. */
    protocol: string | null;
  };
};

/** A saved screening record: the data between the file's BEGIN and END SCREENING DATA markers. */
export type RecordData = {
  format: "cse-screening-record";
  /** 1; a later site that changes the format raises it. */
  format_version: number;
  /** The site that made the file. */
  site: {
    name: string;
    url: string;
  };
  /** The protocol, as it was when the file was last saved. */
  protocol: {
    id: string;
    title: string;
    version: string;
  };
  /** Every screening of the child, oldest first; at least one. */
  screenings: Array<{
    /** When it was saved, as the page gave it: ISO 8601 in UTC (2026-12-07T18:00:00Z). */
    saved: string;
    /** The version of the protocol it was made with. */
    protocol_version: string;
    /** The request as it was sent: answers, seen, strengths, judgement, record. */
    request: {
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
    /** Every answer given (present, or a choice), so an answer to an item that is later removed can be named. */
    answers_in_words: Array<{
      item: string;
      /** The answer as the form worded it. */
      text: string;
    }>;
    /** The level from the answers; null when it was not worked out on the device that saved it (the page saved the answers without the engine, and the file says so in words). */
    level: {
      id: string;
      label: string;
    } | null;
    /** The level by professional judgement, when it differed; with no level worked out, the level chosen. */
    judgement: {
      /** The level chosen; null when the practitioner agreed. */
      level: string | null;
      label: string | null;
    };
  }>;
};

/** open_record_json's reply: the latest screening's request restored, or an error. */
export type OpenReply = {
  ok: true;
  opened: {
    /** The latest screening's request, restored for the protocol as it is now. */
    request: {
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
    /** Answers this version of the protocol no longer has, each in words; empty unless the version changed. */
    set_aside: Array<{
      item: string;
      says: string;
    }>;
    /** When the latest screening was saved. */
    saved: string;
    /** How many screenings the file holds. */
    screenings: number;
    /** The protocol version the latest screening was made with. */
    protocol_version: string;
  };
} | {
  ok: false;
  error: {
    type: "RequestError" | "ProtocolError" | "AnswerError" | "UnknownItemError" | "AnswerTypeError" | "MissingAnswerError";
    /** One line that can be shown as it is. */
    message: string;
    /** The item the page should point at, if any. */
    item: string | null;
  } | {
    type: "RecordError";
    /** What is wrong with the saved record, to be shown as it is. */
    message: string;
    /** The id of the protocol the record belongs to, when it is another protocol's record. */
    protocol: string | null;
  };
};

/** save_record_json's reply: the file's name and text, or an error. */
export type SaveReply = {
  ok: true;
  file: {
    /** A file name: protocol id, date and the child's reference when given. */
    name: string;
    /** The whole file. */
    text: string;
  };
} | {
  ok: false;
  error: {
    type: "RequestError" | "ProtocolError" | "AnswerError" | "UnknownItemError" | "AnswerTypeError" | "MissingAnswerError";
    /** One line that can be shown as it is. */
    message: string;
    /** The item the page should point at, if any. */
    item: string | null;
  } | {
    type: "RecordError";
    /** What is wrong with the saved record, to be shown as it is. */
    message: string;
    /** The id of the protocol the record belongs to, when it is another protocol's record. */
    protocol: string | null;
  };
};
