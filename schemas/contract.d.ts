// Provisional: written by hand from the issue 20 contract until the engine's generated
// declaration (screening/contract.py) replaces it.

export interface ScreeningRequest {
  answers: { [item: string]: boolean | string };
  seen?: { [item: string]: string };
  strengths?: string;
  judgement?: { level?: string | null; reason?: string; confirmed?: boolean };
  record?: { child?: string; practitioner?: string; agency?: string };
}

export interface ScreeningResult {
  protocol: string;
  title: string;
  version: string;
  level: { id: string; label: string; rank: number; of: number; place: string; position: string };
  score: number | null;
  band_reason: { says: string; lifted: boolean; [key: string]: unknown } | null;
  confirm_below: { level: string; label: string; rank: number; rules: string[]; says: string[] } | null;
  fired: { rule: string; says: string; items: { id: string; label: string }[]; level: string; urgent: boolean; firm: boolean }[];
  present: { id: string; label: string }[];
  scale: { id: string; label: string }[];
  urgent: boolean;
  urgent_notes: string[];
  notes: string[];
  next_steps: string[];
  caveats: string[];
  judgement: {
    level: string | null;
    label: string | null;
    differs: boolean;
    below: boolean;
    reason: string;
    confirmed: boolean;
    status: "agrees" | "stands" | "incomplete";
    needs: { field: "reason" | "confirmation"; says: string }[];
    confirm_why: string;
  };
  report: { id: string; heading: string; lines: { text: string; items: string[] }[] }[];
}

export type ScreeningReply =
  | { ok: true; result: ScreeningResult }
  | { ok: false; error: { type: string; message: string; item: string | null } };
