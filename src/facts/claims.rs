//! Claim facts found by code rather than by patterns: statements from
//! attributions in every form, and roles from titles next to a name.
//!
//! **Statements** (`[[fact]] from = "attribution"`). Each sentence is read as
//! a run of *items* (an entity mention, a value, or a token). A trigger is a
//! verb of saying ("said", "told", "warned", "reiterated that") or of a
//! public act ("claimed responsibility", "denied", "condemned",
//! "designated", "announced", "placed ... in abeyance"), or "according
//! to". Its speaker is the noun phrase just before the verb, read
//! backwards over titles, possessives,
//! parentheses, comma-enclosed appositions and adverbials ("Lt. Gen. Ahmed
//! Sharif Chaudhry, the director general of ISPR (ISPR), told"); among its
//! entities a person beats an organization or group, which beats a place.
//! A relative ("..., which said"), a pronoun ("he said": the nearest
//! person before it), a bare title ("the Prime Minister said": the one
//! person the document gave that title), or a transcript turn ("We welcome"
//! under "SPOKESPERSON (Name):") give the speaker when no entity does. The
//! content is the reported clause after "that" (or after the verb), the
//! verb phrase of an act, or, when the speaker follows ("..., X said."), the
//! clause before; it ends at the sentence end, at a side clause (", which",
//! ", while", " — ", ", a charge ...") or where the next attribution begins.
//! A quoted span in it is also the `quote`. `time` is the one date stated
//! outside the reported clause (inside it too for acts). A sentence of a
//! transcript turn with no attribution is the turn speaker's statement when
//! it takes a position (see [`turn_position`]); its words are the quote.
//! Questions give no statement.
//!
//! **Roles** (`[[fact]] from = "title"`). A title written next to an official
//! or person gives `role` with the title as written: before the name
//! ("Home Minister Amit Shah", "al-Qaeda leader Ayman al-Zawahiri"), in an
//! apposition after it ("Steve Killelea, the IEP's executive chairman") or
//! before it ("the BLA chief, Bashir Zeb"), in a transcript label
//! ("SPOKESPERSON (Randhir Jaiswal, Ministry of External Affairs)"), or after
//! "as" ("with X as acting prime minister"). `of` is the organization, group
//! or place the text attaches to the title (a possessive, a modifier, "of
//! X", "at X", "its" for the last group named); else an official's own
//! country or organization. Abbreviated ranks ("Gen.", "Lt.") are not titles.

use std::collections::BTreeMap;

use crate::document::Document;
use crate::layers::{Arg, Entity, EntityType, Fact, Value, ValueType};
use crate::segment::{Segmentation, TokenKind};
use crate::span::Span;

/// Verbs that report speech: their content is the clause they introduce.
const SAY_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "added",
    "adds",
    "stated",
    "states",
    "argued",
    "argues",
    "warned",
    "warns",
    "reiterated",
    "reiterates",
    "noted",
    "notes",
    "remarked",
    "remarks",
    "replied",
    "replies",
    "explained",
    "stressed",
    "stresses",
    "emphasised",
    "emphasized",
    "insisted",
    "insists",
    "asserted",
    "asserts",
    "maintained",
    "admitted",
    "admits",
    "alleged",
    "alleges",
    "declared",
    "declares",
    "reported",
    "reports",
    "observed",
    "recalled",
    "cautioned",
    "contended",
    "conceded",
    "underlined",
    "underscored",
    "affirmed",
    "reaffirmed",
    "predicted",
];

/// Verbs of speech whose content is usually a noun phrase ("reaffirmed its
/// commitment to ...", "stressed the need for ..."), not a clause.
const NP_OBJECT_VERBS: &[&str] = &[
    "reaffirmed",
    "reaffirms",
    "reiterated",
    "reiterates",
    "affirmed",
    "underscored",
    "underlined",
    "stressed",
    "emphasised",
    "emphasized",
    "expressed",
    "voiced",
    "renewed",
];

/// Verbs of a public act that is itself a claim: their content is the verb
/// phrase ("condemned the attack and urged calm"). With "that" after them
/// they report speech like [`SAY_VERBS`].
const ACT_VERBS: &[&str] = &[
    "claimed",
    "claims",
    "claim",
    "denied",
    "denies",
    "deny",
    "condemned",
    "condemns",
    "rejected",
    "rejects",
    "dismissed",
    "dismisses",
    "welcomed",
    "welcomes",
    "welcome",
    "designated",
    "designates",
    "announced",
    "announces",
    "urged",
    "urges",
    "demanded",
    "demands",
    "ordered",
    "orders",
    "vowed",
    "vows",
    "pledged",
    "pledges",
    "accused",
    "accuses",
    "estimated",
    "estimates",
    "estimate",
    "described",
    "describes",
    "called",
    "calls",
    "threatened",
    "threatens",
    "asked",
    "appealed",
    "blamed",
    "blames",
    "termed",
    "praised",
    "hailed",
    "confirmed",
    "confirms",
    "acknowledged",
    "disclosed",
    "revealed",
    "highlighted",
];

/// Verbs of holding that are a public act with "in abeyance" or "on hold"
/// ("India placed the treaty in abeyance").
const HOLD_VERBS: &[&str] = &[
    "placed", "places", "place", "put", "puts", "kept", "keeps", "held", "holds",
];

/// Act verbs that only count when a quotation follows in their clause
/// ("described Pakistan as a 'phenomenal partner'").
const QUOTE_ONLY_VERBS: &[&str] = &[
    "described",
    "describes",
    "called",
    "calls",
    "asked",
    "termed",
    "praised",
    "hailed",
];

/// Words a subject noun phrase may hold besides names and titles.
const NP_WORDS: &[&str] = &[
    "the",
    "a",
    "an",
    "its",
    "their",
    "his",
    "her",
    "of",
    "'s",
    "s",
    "military",
    "army",
    "officials",
    "official",
    "government",
    "team",
    "monitors",
    "monitoring",
    "sanctions",
    "authorities",
    "spokesman",
    "spokesperson",
    "spokeswoman",
    "ministry",
    "office",
    "police",
    "forces",
    "leadership",
    "command",
    "media",
    "wing",
    "cell",
    "council",
    "committee",
    "administration",
    "embassy",
    "mission",
    "delegation",
    "statement",
    "sources",
    "source",
    "interim",
    "federal",
    "provincial",
    "state",
    "group",
    "outfit",
    "faction",
    "panel",
    "analysts",
    "analyst",
    "expert",
    "experts",
    "researcher",
    "scholar",
    "commentator",
    "activist",
    "academic",
    "security",
    "political",
    "investigators",
    "prosecutors",
    "court",
    "department",
    "agency",
    "chief",
    "minister",
    "secretary",
    "commander",
    "leader",
    "head",
    "director",
    "general",
    "president",
    "prime",
    "home",
    "foreign",
    "interior",
    "defence",
    "defense",
    "external",
    "affairs",
    "deputy",
    "acting",
    "current",
    "then",
    "former",
    "senior",
    "top",
    "supreme",
    "executive",
    "chairman",
    "ambassador",
    "governor",
    "superintendent",
    "inspector",
    "party",
    "union",
    "lieutenant",
    "calling",
    "itself",
    "which",
    "who",
];

/// A manner or time adverb in "-ly" between a subject and its verb ("the
/// TRF initially claimed", "the ministry categorically denied"): a
/// lowercase word of six letters or more, not one of the nouns and
/// adjectives so spelled ("the assembly said", "the daily reported").
fn is_ly_adverb(w: &str) -> bool {
    w.len() >= 6
        && w.ends_with("ly")
        && w.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
        && !matches!(
            w,
            "family"
                | "assembly"
                | "supply"
                | "reply"
                | "rally"
                | "daily"
                | "weekly"
                | "monthly"
                | "quarterly"
                | "fortnightly"
                | "anomaly"
                | "monopoly"
                | "elderly"
                | "friendly"
                | "deadly"
                | "costly"
                | "lonely"
                | "likely"
                | "unlikely"
                | "holy"
                | "ugly"
                | "italy"
                | "july"
        )
}

/// Adverbials that may stand between a subject and its verb.
const ADVERBS: &[&str] = &[
    "also",
    "later",
    "again",
    "repeatedly",
    "reportedly",
    "then",
    "has",
    "have",
    "had",
    "will",
    "would",
    "had",
    "earlier",
    "separately",
    "publicly",
    "quickly",
    "swiftly",
    "promptly",
    "immediately",
    "previously",
    "already",
    "once",
    "on",
    "in",
    "last",
    "this",
    "that",
    "yesterday",
    "today",
    "subsequently",
    "formally",
    "officially",
    "strongly",
    "firmly",
    "bluntly",
    "since",
    "recently",
    "it",
    "put",
    "when",
    "may",
    "could",
];

/// Words that start a side clause the content does not include.
const SIDE_CLAUSE: &[&str] = &[
    "which",
    "while",
    "whereas",
    "adding",
    "saying",
    "though",
    "according",
];
/// Nouns of ", a charge the Taliban denied" (a comment on the content).
const COMMENT_NOUNS: &[&str] = &[
    "charge",
    "claim",
    "figure",
    "allegation",
    "assertion",
    "accusation",
    "line",
    "version",
    "account",
    "statement",
    "position",
];

/// Titles' head words: a run of words is a title only if it holds one.
const TITLE_HEADS: &[&str] = &[
    "minister",
    "secretary",
    "commander",
    "chief",
    "leader",
    "head",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "director",
    "president",
    "chairman",
    "chairperson",
    "ambassador",
    "governor",
    "superintendent",
    "inspector",
    "officer",
    "emir",
    "amir",
    "founder",
    "coordinator",
    "adviser",
    "advisor",
    "envoy",
    "marshal",
    "premier",
    "mayor",
    "commissioner",
    "judge",
    "justice",
    "senator",
    "chancellor",
    "colonel",
    "captain",
    "brigadier",
    "admiral",
    "commandant",
    "general",
    "lieutenant",
    "major",
    "subedar",
    "havildar",
    "havaldar",
    "naik",
    "sepoy",
    "constable",
    "sub-inspector",
    "representative",
    "secretary-general",
    "co-founder",
    "deputy",
    "spokesmen",
    "ideologue",
    "strategist",
];

/// Military and police ranks: a rank names its holder's post even when the
/// text names no force ("Sepoy Abdul Rauf", "Lance Naik Waqas Ahmed"). The
/// low ranks are the resolver's; officers' ranks are added here.
fn is_rank(title: &str) -> bool {
    const OFFICERS: &[&str] = &["major", "captain", "lieutenant", "colonel", "brigadier"];
    let t = crate::segment::fold_phrase(title);
    crate::resolve::is_low_rank(title)
        || t.rsplit(' ')
            .next()
            .is_some_and(|w| OFFICERS.contains(&w) || crate::resolve::is_low_rank(w))
}

/// Words a title may hold besides its head (lowercase in running text).
const TITLE_WORDS: &[&str] = &[
    "deputy",
    "acting",
    "interim",
    "chief",
    "senior",
    "special",
    "general",
    "union",
    "home",
    "foreign",
    "interior",
    "defence",
    "defense",
    "external",
    "affairs",
    "prime",
    "supreme",
    "executive",
    "vice",
    "federal",
    "provincial",
    "police",
    "army",
    "staff",
    "of",
    "for",
    "operational",
    "top",
    "military",
    "regional",
    "political",
    "party",
    "field",
    "wing",
    "state",
    "district",
    "national",
    "security",
    "joint",
    "principal",
    "permanent",
    "former",
    "lieutenant",
    "inspector",
    "director",
    "a-grade",
    "central",
    "station",
    "counterterrorism",
    "information",
    "finance",
    "law",
    "justice",
    "railways",
    "planning",
];

/// Abbreviated ranks and honorifics: not titles in themselves.
const HONORIFICS: &[&str] = &[
    "gen", "gen.", "lt", "lt.", "col", "col.", "maj", "maj.", "brig", "brig.", "wg", "cdr", "cdr.",
    "dr", "dr.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "maulana", "mullah", "sheikh", "hafiz",
    "mufti", "sardar", "syed", "capt", "capt.", "adm", "adm.", "sen.", "rep.", "gov.", "prof",
    "prof.", "justice", ".",
];

/// Words that drop from the front of a title ("the current commander").
const TITLE_DROP: &[&str] = &[
    "the",
    "a",
    "an",
    "its",
    "their",
    "his",
    "her",
    "current",
    "then",
    "now",
    "newly",
    "appointed",
    "new",
    "also",
];

/// Person-like speakers beat organizations and groups, which beat places.
fn rank(t: EntityType) -> u8 {
    match t {
        EntityType::Official | EntityType::Person => 0,
        EntityType::Organization | EntityType::Group => 1,
        EntityType::Place => 2,
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum K {
    Tok(usize),
    Ent(usize),
    Val(usize),
}

#[derive(Debug, Clone, Copy)]
struct It {
    span: Span,
    k: K,
}

/// One sentence's items.
struct Sent<'a> {
    text: &'a str,
    seg: &'a Segmentation,
    items: Vec<It>,
    /// Per item: the [`SAY`], [`ACT`], [`MEET`], [`RARE`] and [`NOTE`] bits of
    /// its word.
    flags: Vec<u8>,
    entities: &'a [Entity],
    values: &'a [Value],
}

/// Item flag: a word of [`SAY_VERBS`].
const SAY: u8 = 1;
/// Item flag: a word of [`ACT_VERBS`].
const ACT: u8 = 2;
/// Item flag: a word that may start a meeting or an agreement
/// ([`MEET_WORDS`]).
const MEET: u8 = 4;

/// Item flag: a word that starts a rarer claim the code looks for
/// ([`HOLD_VERBS`], "ceasefire"/"truce", [`STAY_VERBS`]), so that the passes
/// over every item test one bit.
const RARE: u8 = 8;

/// Item flag: a word that opens an attribution without a verb of saying
/// ("according to", "the decision of X to ..."): with [`SAY`], [`ACT`] and
/// [`RARE`], what a sentence must hold for [`statements`] to look at it
/// (outside transcript turns).
const NOTE: u8 = 16;

/// Verbs of a stay ([`stays`]).
const STAY_VERBS: &[&str] = &["spends", "spent", "spend", "spending"];

/// The verbs [`meetings`] and [`two_sides`] look at.
const MEET_WORDS: &[&str] = &[
    "spoke",
    "speaks",
    "talked",
    "talks",
    "held",
    "had",
    "holds",
    "has",
    "made",
    "called",
    "phoned",
    "telephoned",
    "met",
    "meet",
    "meets",
    "discussed",
    "discusses",
    "led",
    "leads",
    "headed",
    "heads",
    "agreed",
    "agree",
    "agrees",
];

/// The trigger flags of a folded word (a map built once from the verb lists).
fn trigger_flags(w: &str) -> u8 {
    type Map = std::collections::HashMap<&'static str, u8, crate::segment::BuildWordHasher>;
    /// The words, and their first bytes and lengths: most words of a text
    /// are ruled out before hashing.
    static MAP: std::sync::OnceLock<(Map, crate::segment::FirstPairs)> = std::sync::OnceLock::new();
    let (map, firsts) = MAP.get_or_init(|| {
        let mut m = Map::default();
        for w in SAY_VERBS {
            *m.entry(*w).or_insert(0) |= SAY;
        }
        for w in ACT_VERBS {
            *m.entry(*w).or_insert(0) |= ACT;
        }
        for w in MEET_WORDS {
            *m.entry(*w).or_insert(0) |= MEET;
        }
        for w in HOLD_VERBS
            .iter()
            .chain(STAY_VERBS)
            .chain(&["ceasefire", "truce"])
        {
            *m.entry(*w).or_insert(0) |= RARE;
        }
        for w in ["according", "decision", "decisions"] {
            *m.entry(w).or_insert(0) |= NOTE;
        }
        let firsts = crate::segment::FirstPairs::of(m.keys());
        (m, firsts)
    });
    if !firsts.may_hold(w) {
        return 0;
    }
    map.get(w).copied().unwrap_or(0)
}

impl<'a> Sent<'a> {
    fn build(
        text: &'a str,
        seg: &'a Segmentation,
        si: usize,
        ments: &[(Span, usize)],
        vals: &[(Span, usize)],
        entities: &'a [Entity],
        values: &'a [Value],
    ) -> Sent<'a> {
        let sent = &seg.sentences[si];
        let mut items = Vec::new();
        let mut t = sent.tokens.start;
        let mut mi = ments.partition_point(|m| m.0.start < sent.span.start);
        let mut vi = vals.partition_point(|v| v.0.start < sent.span.start);
        while t < sent.tokens.end {
            let ts = seg.tokens[t].span;
            while mi < ments.len() && ments[mi].0.end <= ts.start {
                mi += 1;
            }
            while vi < vals.len() && vals[vi].0.end <= ts.start {
                vi += 1;
            }
            let m = ments.get(mi).filter(|m| m.0.start == ts.start);
            let v = vals.get(vi).filter(|v| v.0.start == ts.start);
            let pick = match (m, v) {
                (Some(m), Some(v)) if v.0.end > m.0.end => Some((v.0, K::Val(v.1))),
                (Some(m), _) => Some((m.0, K::Ent(m.1))),
                (None, Some(v)) => Some((v.0, K::Val(v.1))),
                _ => None,
            };
            match pick {
                Some((span, k)) => {
                    items.push(It { span, k });
                    while t < sent.tokens.end && seg.tokens[t].span.start < span.end {
                        t += 1;
                    }
                }
                None => {
                    items.push(It {
                        span: ts,
                        k: K::Tok(t),
                    });
                    t += 1;
                }
            }
        }
        let flags = items
            .iter()
            .map(|it| match it.k {
                K::Tok(t) => trigger_flags(seg.folded(t)),
                _ => 0,
            })
            .collect();
        Sent {
            text,
            seg,
            items,
            flags,
            entities,
            values,
        }
    }

    fn w(&self, i: usize) -> Option<&str> {
        match self.items.get(i)?.k {
            K::Tok(t) => Some(self.seg.folded(t)),
            _ => None,
        }
    }

    fn is(&self, i: usize, words: &[&str]) -> bool {
        self.w(i).is_some_and(|w| words.contains(&w))
    }

    fn raw(&self, i: usize) -> &str {
        self.items[i].span.slice(self.text)
    }

    fn capitalized(&self, i: usize) -> bool {
        match self.items.get(i).map(|x| x.k) {
            Some(K::Tok(t)) => {
                self.seg.tokens[t].kind == TokenKind::Word
                    && self.raw(i).starts_with(char::is_uppercase)
            }
            _ => false,
        }
    }

    fn ent(&self, i: usize) -> Option<&'a Entity> {
        match self.items.get(i)?.k {
            K::Ent(e) => Some(&self.entities[e]),
            _ => None,
        }
    }

    fn date(&self, i: usize) -> Option<usize> {
        match self.items.get(i)?.k {
            K::Val(v) if self.values[v].vtype == ValueType::Date => Some(v),
            _ => None,
        }
    }

    fn span(&self, a: usize, b: usize) -> Span {
        Span::new(self.items[a].span.start, self.items[b - 1].span.end)
    }

    /// An em or en dash (folded to "-"), not a hyphen inside a word.
    fn is_dash(&self, i: usize) -> bool {
        matches!(self.items.get(i).map(|x| x.k), Some(K::Tok(_)))
            && matches!(self.raw(i), "—" | "–" | "--")
    }

    fn is_pronoun(&self, i: usize) -> bool {
        self.is(i, &["he", "she", "it", "we", "i"])
    }

    fn is_verb_trigger(&self, i: usize) -> bool {
        self.flags.get(i).is_some_and(|f| f & (SAY | ACT) != 0)
    }

    /// A word of [`MEET_WORDS`].
    fn is_meet(&self, i: usize) -> bool {
        self.flags.get(i).is_some_and(|f| f & MEET != 0)
    }

    /// A word of `words`, all of them flagged [`RARE`].
    fn is_rare(&self, i: usize, words: &[&str]) -> bool {
        self.flags.get(i).is_some_and(|f| f & RARE != 0) && self.is(i, words)
    }

    /// A verb of saying ([`SAY_VERBS`]).
    fn is_say(&self, i: usize) -> bool {
        self.flags.get(i).is_some_and(|f| f & SAY != 0)
    }

    /// Items `a..b` read as a noun phrase's apposition (no verb-like word).
    fn np_like(&self, a: usize, b: usize) -> bool {
        b > a
            && b - a <= 14
            && (a..b).all(|i| {
                !self.is_verb_trigger(i)
                    && !self.is(
                        i,
                        &[
                            "that", "is", "was", "were", "are", "had", "has", "have", "will",
                            "would", ";", ":", "\"",
                        ],
                    )
            })
    }

    /// The subject noun phrase that ends right before item `v`: its first
    /// item (or `None` when nothing NP-like precedes the verb).
    fn subject_start(&self, v: usize) -> Option<usize> {
        let mut i = v;
        let mut start = None;
        // Adverbials between subject and verb ("later", "on Wednesday").
        while i > 0
            && (self.is(i - 1, ADVERBS)
                || self.w(i - 1).is_some_and(is_ly_adverb)
                || self.date(i - 1).is_some())
        {
            if self.is(i - 1, &["it", "that", "which", "who"]) {
                break;
            }
            i -= 1;
        }
        if i > 0 && self.is_pronoun(i - 1) {
            return Some(i - 1);
        }
        if i > 0 && self.is(i - 1, &["which", "who"]) {
            return Some(i - 1);
        }
        while i > 0 {
            let j = i - 1;
            // "Shehbaz Sharif and Marco Rubio reiterated": joint speakers.
            let joint = self.is(j, &["and"])
                && start.is_some()
                && j > 0
                && (self.ent(j - 1).is_some() || self.capitalized(j - 1));
            if joint
                || self.ent(j).is_some()
                || self.capitalized(j)
                || self.is(j, NP_WORDS)
                || self.is(j, REPORT_NOUNS)
                || self.is(j, HONORIFICS)
                || self.is(j, &["-", "’", "'"])
            {
                if self.is(j, &["which", "who"]) {
                    break;
                }
                i = j;
                start = Some(i);
                continue;
            }
            if self.is(j, &[")"]) {
                let open = (j.saturating_sub(12)..j)
                    .rev()
                    .find(|&k| self.is(k, &["("]));
                match open {
                    Some(o) if o > 0 => {
                        i = o;
                        continue;
                    }
                    _ => break,
                }
            }
            if self.is(j, &[","]) {
                // An apposition: ", the director general of ISPR ," before
                // the verb, with a name before its opening comma.
                let open = (j.saturating_sub(15)..j)
                    .rev()
                    .find(|&k| self.is(k, &[","]));
                if let Some(o) = open {
                    if o > 0
                        && self.np_like(o + 1, j)
                        && (self.ent(o - 1).is_some()
                            || self.capitalized(o - 1)
                            || self.is(o - 1, &[")"])
                            || self.is(o - 1, TITLE_HEADS))
                    {
                        i = o;
                        continue;
                    }
                }
                break;
            }
            break;
        }
        // Drop leading adverbials kept by the NP words ("then").
        start.filter(|&s| s < v)
    }

    /// The best speaker entity among items `a..b` (a person first).
    fn speaker_in(&self, a: usize, b: usize) -> Option<&'a Entity> {
        let mut best: Option<(&Entity, u8)> = None;
        for i in a..b {
            if let Some(e) = self.ent(i) {
                let r = rank(e.etype);
                if best.is_none_or(|(_, br)| r < br) {
                    best = Some((e, r));
                }
            }
        }
        best.map(|b| b.0)
    }

    /// Where the clause that holds item `i` starts (after a sentence start,
    /// ";", ":" or a dash).
    fn clause_start(&self, i: usize) -> usize {
        let mut k = i;
        while k > 0 {
            if self.is(k - 1, &[";", ":"]) || self.is_dash(k - 1) {
                break;
            }
            k -= 1;
        }
        k
    }

    /// Where a verb's noun-phrase object ends ("reaffirmed its commitment
    /// to X when ...", "condemned the attack during ..."): a clause of
    /// occasion after the object says when it was said, not what. `e` is
    /// the content's end as [`Sent::content_end`] found it; a content that
    /// does not open with a determiner is a clause and is left whole
    /// ("said the convoy was hit when it slowed").
    fn object_end(&self, a: usize, e: usize) -> usize {
        if !self.is(a, &["its", "his", "her", "their", "our", "the", "a", "an"]) {
            return e;
        }
        let Some(mut k) =
            (a + 2..e).find(|&k| self.is(k, &["when", "while", "after", "before", "during"]))
        else {
            return e;
        };
        while k > a + 1 && self.is(k - 1, &[",", ";"]) {
            k -= 1;
        }
        k
    }

    /// The end of content starting at `a` (exclusive), at most `limit`.
    fn content_end(&self, a: usize, limit: usize) -> usize {
        let mut depth = 0i32;
        let mut i = a;
        while i < limit {
            match self.w(i) {
                Some("(") => depth += 1,
                Some(")") => depth -= 1,
                Some(";") if i > a => return i,
                _ if i > a && self.is_dash(i) => return i,
                Some(",") if depth <= 0 && i > a => {
                    let next = i + 1;
                    if self.is(next, SIDE_CLAUSE)
                        || (self.is(next, &["in"]) && self.is(next + 1, &["which"]))
                        || (self.is(next, &["a", "an"]) && self.is(next + 1, COMMENT_NOUNS))
                        || (self.is(next, &["whether", "but"])
                            // "said that A, but that B": both reported.
                            && !(self.is(next, &["but"]) && self.is(next + 1, &["that"])))
                    {
                        return i;
                    }
                    // ", and the provincial government has added ...": a
                    // new clause with its own subject.
                    if self.is(next, &["and"])
                        && (self.is(next + 1, &["the", "a", "its", "their", "his", "her"])
                            || self.ent(next + 1).is_some()
                            || self.capitalized(next + 1))
                        && (next + 2..(next + 8).min(limit)).any(|k| {
                            self.is(
                                k,
                                &[
                                    "has", "have", "had", "was", "were", "is", "are", "will",
                                    "would",
                                ],
                            ) || self.is_verb_trigger(k)
                        })
                    {
                        return i;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        // Trailing punctuation and conjunctions.
        let mut e = limit;
        while e > a && self.is(e - 1, &[".", ",", "and", "!", "?", "\"", "”"]) {
            if self.is(e - 1, &["\""]) {
                // keep a closing quote that closes a quote in the content
                let opens = (a..e - 1).filter(|&k| self.is(k, &["\""])).count();
                if opens % 2 == 1 {
                    break;
                }
            }
            e -= 1;
        }
        e
    }
}

/// One statement found in a sentence, before it becomes a fact.
struct Found {
    speaker: Option<String>,
    content: Option<(usize, usize)>,
    /// The items of the attribution (speaker phrase and verb).
    attrib: (usize, usize),
    act: bool,
    /// A normalized content ("claimed responsibility" for the passive).
    fixed: Option<String>,
    /// Joint speakers after the first ("X and Y reiterated").
    also: Vec<String>,
}

impl Found {
    /// A speaker's turn in a transcript: its words `a..e` are the content,
    /// and the turn's first item stands for the attribution.
    fn turn(who: String, a: usize, e: usize) -> Found {
        Found {
            speaker: Some(who),
            content: Some((a, e)),
            attrib: (a, a + 1),
            act: false,
            fixed: None,
            also: Vec::new(),
        }
    }
}

/// Every entity mention and every value as (span, index), sorted by start,
/// the longer first where two start together.
type Spans = Vec<(Span, usize)>;
fn sorted_spans(entities: &[Entity], values: &[Value]) -> (Spans, Spans) {
    let mut ments: Spans = Vec::new();
    for (ei, e) in entities.iter().enumerate() {
        ments.extend(e.mentions.iter().map(|m| (m.span, ei)));
    }
    ments.sort_by_key(|m| (m.0.start, std::cmp::Reverse(m.0.end)));
    let mut vals: Spans = values
        .iter()
        .enumerate()
        .map(|(i, v)| (v.span, i))
        .collect();
    vals.sort_by_key(|v| (v.0.start, std::cmp::Reverse(v.0.end)));
    (ments, vals)
}

/// The claim facts of the document found by code: roles (rule `roles`),
/// then statements (rule `attribution`), which read the roles. Each
/// sentence's items are built once and shared by both.
pub fn claims(
    roles_rule: Option<&str>,
    attribution: Option<&str>,
    doc: &Document,
    seg: &Segmentation,
    entities: &[Entity],
    values: &[Value],
    facts: &mut Vec<Fact>,
) {
    if roles_rule.is_none() && attribution.is_none() {
        return;
    }
    let text = doc.text.as_str();
    let (ments, vals) = sorted_spans(entities, values);
    let sents: Vec<Sent> = (0..seg.sentences.len())
        .map(|si| Sent::build(text, seg, si, &ments, &vals, entities, values))
        .collect();
    if let Some(rule) = roles_rule {
        roles(rule, &sents, facts);
        leaders_for_groups(facts);
    }
    if let Some(rule) = attribution {
        let titled = titled_people(facts);
        let turns = turn_speakers(seg, text, &ments, entities);
        // Rules of the same file that the code below stands for.
        let sibling = |id: &str| match rule.rsplit_once('#') {
            Some((file, _)) => format!("{file}#{id}"),
            None => id.to_string(),
        };
        meetings(
            &sibling("meeting-call"),
            &sents,
            seg,
            entities,
            &titled,
            &turns,
            facts,
        );
        attendees(&sibling("meeting-convened"), &sents, facts);
        stays(&sibling("meeting-visit"), &sents, facts);
        two_sides(&sibling("cooperation-agree"), &sents, seg, facts);
        implied_sides(&sibling("cooperation-ceasefire"), &sents, facts);
        statements(rule, &sents, seg, &titled, &turns, facts);
    }
}

/// Titles of the one who leads a group.
const LEADER_TITLES: &[&str] = &[
    "chief",
    "leader",
    "head",
    "commander",
    "founder",
    "emir",
    "amir",
    "supreme leader",
];

/// A cooperation's party that is a group's leader, given that role in the
/// same sentence ("Its chief, Bashir Zeb, has encouraged cooperation with
/// the BLF"), stands for the group: the group takes his place.
fn leaders_for_groups(facts: &mut [Fact]) {
    let led: Vec<(usize, String, String)> = facts
        .iter()
        .filter(|f| f.kind == "role")
        .filter_map(|f| {
            let (Some(Arg::Text(t)), Some(Arg::Entity(p)), Some(Arg::Entity(g))) =
                (f.args.get("title"), f.args.get("person"), f.args.get("of"))
            else {
                return None;
            };
            (g.starts_with("group:") && LEADER_TITLES.contains(&t.to_lowercase().as_str()))
                .then(|| (f.sentence, p.clone(), g.clone()))
        })
        .collect();
    if led.is_empty() {
        return;
    }
    for f in facts.iter_mut().filter(|f| f.kind == "cooperation") {
        let Some(Arg::List(parties)) = f.args.get_mut("parties") else {
            continue;
        };
        for i in 0..parties.len() {
            let Arg::Entity(p) = &parties[i] else {
                continue;
            };
            let Some((_, _, g)) = led.iter().find(|l| l.0 == f.sentence && &l.1 == p) else {
                continue;
            };
            if !parties
                .iter()
                .any(|x| matches!(x, Arg::Entity(e) if e == g))
            {
                parties[i] = Arg::Entity(g.clone());
            }
        }
    }
}

/// The speaker of the transcript turn that holds `block` (the latest turn
/// label at or before it), when the label names one.
fn turn_at(turns: &[(usize, Option<String>)], block: usize) -> Option<String> {
    turns
        .iter()
        .rev()
        .find(|t| t.0 <= block)
        .and_then(|t| t.1.clone())
}

/// The statements of the document.
fn statements(
    rule: &str,
    sents: &[Sent],
    seg: &Segmentation,
    titled: &[(String, String)],
    turns: &[(usize, Option<String>)],
    facts: &mut Vec<Fact>,
) {
    let entities = sents.first().map_or(&[][..], |s| s.entities);
    for (si, s) in sents.iter().enumerate() {
        // Without a word that can open an attribution, only a transcript
        // turn's speaker can make a statement of the sentence.
        if !s.flags.iter().any(|f| f & (SAY | ACT | RARE | NOTE) != 0)
            && !turns
                .iter()
                .any(|t| t.0 == seg.sentences[si].block && t.1.is_some())
        {
            continue;
        }
        let n = s.items.len();
        let mut found: Vec<Found> = Vec::new();
        // Where each attribution's subject starts (with a speaker or not).
        let mut cuts: Vec<usize> = Vec::new();
        for v in 0..n {
            if s.is(v, &["according"]) && s.is(v + 1, &["to"]) {
                according(s, v, &mut found);
                continue;
            }
            // "placed the treaty in abeyance", "put the deal on hold": a
            // public act when what is held is named in its clause.
            // (The clause's end is sought only when the words are near:
            // "held", "put" and "place" are common.)
            let holds =
                |k: usize| s.is(k, &["abeyance"]) || (s.is(k, &["on"]) && s.is(k + 1, &["hold"]));
            let held = s.is_rare(v, HOLD_VERBS)
                && (v + 2..(v + 12).min(n)).any(holds)
                && (v + 2..s.content_end(v, n).min(v + 12)).any(holds);
            if !s.is_verb_trigger(v) && !held {
                continue;
            }
            // A noun or a compound, not a verb: "Naqvi's claim", "the
            // claims", "so-called".
            if v > 0
                && (s.is(
                    v - 1,
                    &[
                        "'s", "s", "the", "a", "an", "his", "her", "its", "their", "-", "’",
                    ],
                ) || (s.ent(v - 1).is_some()
                    && (s.raw(v - 1).ends_with("’s") || s.raw(v - 1).ends_with("'s"))))
            {
                continue;
            }
            // "Responsibility was claimed by X"; other passives are skipped.
            if v >= 1 && s.is(v - 1, &["was", "were", "been", "being", "is", "are"]) {
                if s.is(v, &["claimed"]) && s.is(v + 1, &["by"]) {
                    let k = v + 2 + usize::from(s.is(v + 2, &["the"]));
                    if let Some(e) = s.ent(k) {
                        if (0..v).any(|k| s.is(k, &["responsibility"])) {
                            let lo = s.clause_start(v);
                            found.push(Found {
                                speaker: Some(e.id.clone()),
                                content: Some((lo, k + 1)),
                                attrib: (lo, k + 1),
                                act: true,
                                fixed: Some("claimed responsibility".to_string()),
                                also: Vec::new(),
                            });
                        }
                    }
                } else if !s.is_say(v)
                    && !s.is(v, QUOTE_ONLY_VERBS)
                    && !s.is(v, &["claimed", "claims", "claim"])
                    && s.is(v + 1, &["by"])
                {
                    // "Naqvi's claim was dismissed by the Taliban
                    // authorities": the agent did the act to the subject.
                    let end = (v + 2..(v + 8).min(n))
                        .find(|&k| s.is(k, &[",", ".", ";", "in", "on", "as", "and", "for"]))
                        .unwrap_or((v + 8).min(n));
                    let mut b = v - 1;
                    while b > 0
                        && s.is(
                            b - 1,
                            &[
                                "was", "were", "been", "being", "is", "are", "had", "has", "have",
                            ],
                        )
                    {
                        b -= 1;
                    }
                    let lo = s.clause_start(v);
                    if let Some(e) = s.speaker_in(v + 2, end) {
                        if b > lo && b - lo <= 8 {
                            let object = s.span(lo, b).slice(s.text);
                            let object = object
                                .strip_prefix("The ")
                                .or_else(|| object.strip_prefix("the "))
                                .unwrap_or(object);
                            found.push(Found {
                                speaker: Some(e.id.clone()),
                                content: Some((lo, end)),
                                attrib: (lo, end),
                                act: true,
                                fixed: Some(format!("{} {object}", s.raw(v))),
                                also: Vec::new(),
                            });
                        }
                    }
                }
                continue;
            }
            // An act needs an object ("denied in the past" is no claim).
            if !s.is_say(v)
                && (v + 1 >= n
                    || s.is(
                        v + 1,
                        &[
                            "in", "on", "at", "by", "to", "from", ",", ".", ";", "as", "and",
                            "with", "for",
                        ],
                    ))
            {
                continue;
            }
            let say = s.is_say(v);
            // The word after a verb: a past participle ("had claimed" is
            // fine, "claimed attacks" as adjective is not a subject verb).
            // "“We will not relent,” said Michael Kurilla."
            if say && v > 1 && s.is(v - 1, &[",", "\""]) {
                let mut k = v + 1;
                while k < n
                    && (s.is(k, TITLE_DROP)
                        || s.is(k, HONORIFICS)
                        || s.is(k, TITLE_HEADS)
                        || s.is(k, TITLE_WORDS))
                {
                    k += 1;
                }
                if let Some(e) = s.ent(k).filter(|e| e.etype != EntityType::Place) {
                    if k + 1 >= n || s.is(k + 1, &[".", ",", ";"]) {
                        let mut c = v - 1;
                        if s.is(c, &["\""]) && c > 0 && s.is(c - 1, &[","]) {
                            c -= 1;
                        }
                        let a = s.clause_start(c);
                        let ce = if s.is(v - 1, &["\""]) { v } else { c };
                        if ce > a {
                            cuts.push(v);
                            found.push(Found {
                                speaker: Some(e.id.clone()),
                                content: Some((a, ce)),
                                attrib: (v, k + 1),
                                act: false,
                                fixed: None,
                                also: Vec::new(),
                            });
                            continue;
                        }
                    }
                }
            }
            let (sub, sub_end) = match s.subject_start(v) {
                Some(sub) => (sub, v),
                None => match lead_subject(s, v) {
                    Some(x) => x,
                    None => continue,
                },
            };
            // Another attribution ends a content (", a spokesperson said").
            let cut = if sub > 1 && s.is(sub - 1, &["as"]) {
                sub - 1
            } else {
                sub
            };
            if cut > 0 && s.is(cut - 1, &[",", "and", ";"]) {
                cuts.push(cut);
            }
            let quote_only = s.is(v, QUOTE_ONLY_VERBS);
            let mut speaker = s.speaker_in(sub, sub_end).map(|e| e.id.clone());
            let mut also: Vec<String> = Vec::new();
            if (sub..sub_end).any(|k| s.is(k, &["and"])) {
                for k in sub..sub_end {
                    if let Some(e) = s.ent(k) {
                        if rank(e.etype) == 0
                            && speaker.as_deref() != Some(e.id.as_str())
                            && !also.contains(&e.id)
                        {
                            also.push(e.id.clone());
                        }
                    }
                }
            }
            if speaker.is_none() {
                speaker =
                    pronoun_or_title(s, sub, sub_end, si, seg, entities, titled, turns, facts);
            }
            // ", which said" / ", who said": the name before the comma.
            // "The Taliban authorities, who say": the nearest name in the
            // noun phrase before the comma.
            if speaker.is_none()
                && sub >= 2
                && s.is(sub, &["which", "who"])
                && s.is(sub - 1, &[","])
            {
                let mut k = sub - 2;
                loop {
                    if let Some(e) = s.ent(k) {
                        speaker = Some(e.id.clone());
                        // The relative clause ends where the main clause
                        // resumes (", were not involved in ...").
                        if let Some(c) = (v + 1..n).find(|&c| {
                            s.is(c, &[","])
                                && s.is(
                                    c + 1,
                                    &[
                                        "was", "were", "is", "are", "had", "has", "have", "will",
                                        "would", "did", "remain", "remains", "said", "says",
                                    ],
                                )
                        }) {
                            cuts.push(c);
                        }
                        break;
                    }
                    if k == 0 || k + 5 < sub || !(s.is(k, NP_WORDS) || s.capitalized(k)) {
                        break;
                    }
                    k -= 1;
                }
            }
            if speaker.is_none() {
                continue;
            }
            // Content.
            let that = (v + 1..(v + 10).min(n)).find(|&k| s.is(k, &["that"]));
            // "said on Monday that", "told reporters that"; not the "that"
            // of a relative clause inside the content ("said 21 militants
            // were killed in the operations that followed").
            let stop_before_that = that.is_some_and(|t| {
                (v + 1..t).any(|k| {
                    s.is(k, &[",", ".", ";", "\""])
                        || s.is_verb_trigger(k)
                        || s.is(
                            k,
                            &[
                                "was", "were", "is", "are", "had", "has", "have", "been", "will",
                                "would", "could", "may", "might", "did",
                            ],
                        )
                })
            });
            let after = if s.is(v + 1, &[",", "."]) || v + 1 >= n {
                None
            } else if let (Some(t), false) = (that, stop_before_that) {
                Some((t + 1, true))
            } else if say {
                let mut a = v + 1;
                if s.is(v, &["told", "tells"]) {
                    // "told reporters" without "that": what was told comes
                    // before ("..., Shah told parliament").
                    None
                } else {
                    while s.is(a, &["on", "in"]) && s.date(a + 1).is_some() {
                        a += 2;
                    }
                    Some((a, true))
                }
            } else {
                Some((v, false))
            };
            // "..., X said." and "..., as X said on 24 April."
            let sub_c = if sub > 1 && s.is(sub - 1, &["as"]) {
                sub - 1
            } else {
                sub
            };
            // '“We will not relent,” he said.': the comma sits inside the
            // closing quotation mark, which then ends the content.
            let quote_before = sub_c > 1 && s.is(sub_c - 1, &["\""]) && s.is(sub_c - 2, &[","]);
            let before_subject = sub_c > 0 && s.is(sub_c - 1, &[","]) || quote_before;
            let content = match after {
                Some((a, is_say)) => {
                    let act = !is_say || !say;
                    let a = if act { v } else { a };
                    let claim_end = claim_object(s, v);
                    let e = match claim_end {
                        Some(e) => e,
                        None if act || s.is(v, NP_OBJECT_VERBS) => {
                            s.object_end(if act { a + 1 } else { a }, s.content_end(a, n))
                        }
                        None => s.content_end(a, n),
                    };
                    if quote_only && !(a..e).any(|k| s.is(k, &["\""])) {
                        continue;
                    }
                    // "..., as X said on Friday.": nothing follows but a
                    // date, so the content is before.
                    if e <= a && before_subject {
                        let sep = if quote_before { sub_c - 2 } else { sub_c - 1 };
                        let c0 = s.clause_start(sep);
                        if sep > c0 {
                            let ce = if quote_before {
                                sub_c
                            } else {
                                s.content_end(c0, sep)
                            };
                            found.push(Found {
                                speaker,
                                content: Some((c0, ce)),
                                attrib: (sub, v + 1),
                                act: false,
                                fixed: None,
                                also: also.clone(),
                            });
                        }
                        continue;
                    }
                    found.push(Found {
                        speaker,
                        content: (e > a).then_some((a, e)),
                        attrib: (sub, v + 1),
                        act,
                        fixed: None,
                        also: also.clone(),
                    });
                    continue;
                }
                None if quote_before => {
                    let a = s.clause_start(sub_c - 2);
                    (sub_c - 2 > a).then_some((a, sub_c))
                }
                None if before_subject => {
                    let a = s.clause_start(sub_c - 1);
                    (sub_c - 1 > a).then_some((a, s.content_end(a, sub_c - 1)))
                }
                None => None,
            };
            if quote_only && content.is_none_or(|(a, e)| !(a..e).any(|k| s.is(k, &["\""]))) {
                continue;
            }
            if content.is_none() {
                continue;
            }
            found.push(Found {
                speaker,
                content,
                attrib: (sub, v + 1),
                act: false,
                fixed: None,
                also,
            });
        }
        // A content runs up to the next attribution's subject.
        let mut starts: Vec<usize> = found.iter().map(|f| f.attrib.0).collect();
        starts.extend(cuts);
        for f in found.iter_mut() {
            if let Some((a, e)) = f.content {
                if let Some(&cut) = starts.iter().filter(|&&st| st > a && st < e).min() {
                    let mut c = cut;
                    while c > a && s.is(c - 1, &[",", "and", "but"]) {
                        c -= 1;
                    }
                    f.content = (c > a).then_some((a, c));
                }
            }
        }
        // "the decision of the United States on Monday to designate X",
        // "Washington's decision to designate X": a decision is the
        // decider's statement of what it decided (after the cuts above, so
        // it does not cut the content that holds it).
        for v in 0..n {
            if !s.is(v, &["decision", "decisions"]) {
                continue;
            }
            // The decider's items and the "to" after them.
            let (lo, hi, to) = if s.is(v + 1, &["of", "by"]) {
                let lo = v + 2;
                let mut hi = lo;
                while hi < n && hi < lo + 7 && !s.is(hi, &["to", ",", ".", ";"]) {
                    hi += 1;
                }
                (lo, hi, hi)
            } else if v > 0
                && s.ent(v - 1).is_some()
                && (s.raw(v - 1).ends_with("'s") || s.raw(v - 1).ends_with("’s"))
            {
                (v - 1, v, v + 1)
            } else if v > 1 && s.is(v - 1, &["'s", "s"]) && s.ent(v - 2).is_some() {
                (v - 2, v - 1, v + 1)
            } else {
                continue;
            };
            if !s.is(to, &["to"]) {
                continue;
            }
            let Some(e) = s.speaker_in(lo, hi) else {
                continue;
            };
            let a = to + 1;
            let end = s.content_end(a, n);
            if end <= a || s.w(a).is_none() {
                continue;
            }
            found.push(Found {
                speaker: Some(e.id.clone()),
                content: Some((a, end)),
                attrib: (v, to + 1),
                act: false,
                fixed: None,
                also: Vec::new(),
            });
        }
        // A quotation in a transcript turn with no speaker of its own: the
        // turn's speaker ("KURILLA: Pakistan has been a \"phenomenal
        // partner\" ...").
        if found.is_empty() && (0..n).filter(|&k| s.is(k, &["\""])).count() >= 2 {
            let block = seg.sentences[si].block;
            if let Some(Some(who)) = turns.iter().find(|t| t.0 == block).map(|t| t.1.clone()) {
                let a = (0..n.min(12))
                    .find(|&k| s.is(k, &[":"]))
                    .map_or(0, |k| k + 1);
                let e = s.content_end(a, n);
                if e > a {
                    found.push(Found::turn(who, a, e));
                }
            }
        }
        // A position taken in a transcript turn with no verb of saying.
        let verbatim = found.is_empty() && turn_position(s, si, seg, turns, &mut found);
        // The attributions of the sentence: a date inside another one
        // ("welcome the decision of X on Monday to ...") is that one's time.
        let attribs: Vec<(usize, usize)> = found.iter().map(|f| f.attrib).collect();
        for f in &found {
            let Some((a, e)) = f.content else { continue };
            let before = facts.len();
            push_statement(rule, s, si, f, (a, e), &attribs, facts);
            // A turn's words are the speaker's own: they are the quote.
            if verbatim {
                if let Some(x) = facts.get_mut(before) {
                    if let Some(Arg::Text(c)) = x.args.get("content").cloned() {
                        x.args.entry("quote".to_string()).or_insert(Arg::Text(c));
                    }
                }
            }
        }
    }
}

/// A body's publications that speak for it ("the report said").
const REPORT_NOUNS: &[&str] = &[
    "report",
    "study",
    "survey",
    "assessment",
    "analysis",
    "review",
];

/// Modals of a position ("must not be given sanctuary", "should be
/// punished", "cannot be allowed").
const POSITION_MODALS: &[&str] = &["must", "should", "shall", "cannot"];

/// Present-tense verbs of a side's position ("We reject", "Pakistan
/// expects").
const POSITION_VERBS: &[&str] = &[
    "reject", "rejects", "condemn", "condemns", "expect", "expects", "urge", "urges", "demand",
    "demands", "welcome", "welcomes", "support", "supports", "oppose", "opposes",
];

/// Copulas after "Our ..." ("Our actions were measured and proportionate").
const COPULAS: &[&str] = &["is", "are", "was", "were", "remain", "remains", "remained"];

/// Openers of a turn that is courtesy, not a claim.
const COURTESY: &[&str] = &["thank", "thanks", "good", "welcome", "ladies", "hello"];

/// A position taken in a sentence of a transcript turn that has no verb of
/// saying: the turn's speaker says it. Only sentences a reader takes as a
/// claim count: a turn of one declarative sentence ("COL. QURESHI: The camp
/// was a training centre for LeT cadres."), a sentence with a modal of
/// obligation ("Terrorists ... must not be given sanctuary") or one whose
/// subject is "our ..." ("Our actions were measured"). Narrative sentences
/// of a longer turn and questions are not. Pushes the statement's
/// [`Found`]; false when there is none.
fn turn_position(
    s: &Sent,
    si: usize,
    seg: &Segmentation,
    turns: &[(usize, Option<String>)],
    found: &mut Vec<Found>,
) -> bool {
    let n = s.items.len();
    if n < 4 || s.is(n - 1, &["?"]) {
        return false;
    }
    let block = seg.sentences[si].block;
    let Some(Some(who)) = turns.iter().find(|t| t.0 == block).map(|t| t.1.clone()) else {
        return false;
    };
    // The words after the turn's label.
    let a = (0..n.min(14))
        .find(|&k| s.is(k, &[":"]))
        .map_or(0, |k| k + 1);
    if a + 4 > n || (0..n).any(|k| s.is(k, &["?"])) {
        return false;
    }
    let mut e = n;
    while e > a && s.is(e - 1, &[".", "!", "\"", "”"]) {
        e -= 1;
    }
    let one = a > 0
        && e - a >= 8
        && !s.is(a, COURTESY)
        && seg.sentences.get(si + 1).is_none_or(|x| x.block != block);
    let modal = (a..e).any(|k| s.is(k, POSITION_MODALS));
    // "We categorically reject ...", "Pakistan expects Kabul to ...": the
    // speaker's side takes a position in the present tense.
    let side = |k: usize| {
        s.is(k, &["we"])
            || s.ent(k)
                .is_some_and(|e| matches!(e.etype, EntityType::Place | EntityType::Organization))
    };
    let stance = (a + 1..e).any(|k| {
        s.is(k, POSITION_VERBS)
            && (side(k - 1)
                || (k >= a + 2 && s.w(k - 1).is_some_and(|w| w.ends_with("ly")) && side(k - 2)))
    });
    let modal = modal || stance;
    let ours = s.is(a, &["our"]) && (a + 2..(a + 5).min(e)).any(|k| s.is(k, COPULAS));
    if !(one || modal || ours) {
        return false;
    }
    found.push(Found::turn(who, a, e));
    true
}

/// The subject of a clause whose verb `v` follows "and" ("Prime Minister
/// Shehbaz Sharif praised the forces and said ..."): the noun phrase that
/// opens the clause, as (start, end).
fn lead_subject(s: &Sent, v: usize) -> Option<(usize, usize)> {
    let mut i = v;
    while i > 0
        && (s.is(i - 1, ADVERBS) || s.date(i - 1).is_some())
        && !s.is(i - 1, &["it", "that"])
    {
        i -= 1;
    }
    if i == 0 || !s.is(i - 1, &["and"]) {
        return None;
    }
    let mut a = s.clause_start(i - 1);
    // "On Tuesday, ..." before the subject, and a place that frames it
    // ("In Kabul, Taliban spokesman X rejected ... and said ..."): the
    // place is where, not who.
    loop {
        if a < i && (s.is(a, &["on", "in", "from", ","]) || s.date(a).is_some()) {
            a += 1;
        } else if a + 1 < i
            && a > 0
            && s.is(a - 1, &["in", "from", "at"])
            && s.ent(a).is_some_and(|e| e.etype == EntityType::Place)
            && s.is(a + 1, &[","])
        {
            a += 2;
        } else {
            break;
        }
    }
    let mut b = a;
    while b < i
        && (s.ent(b).is_some()
            || s.capitalized(b)
            || s.is(b, NP_WORDS)
            || s.is(b, HONORIFICS)
            || s.is(b, &["’", "'"]))
        && !s.is(b, &["which", "who"])
    {
        b += 1;
    }
    (b > a && b < i).then_some((a, b))
}

/// "claimed responsibility (for the attack)", "claims the attack": the
/// claim's object ends the content.
fn claim_object(s: &Sent, v: usize) -> Option<usize> {
    if !s.is(v, &["claimed", "claims", "claim"]) {
        return None;
    }
    if s.is(v + 1, &["responsibility", "credit"]) {
        let mut e = v + 2;
        if s.is(e, &["for"]) {
            let mut k = e + 1;
            while k < e + 5 && k < s.items.len() && !s.is(k, &[",", ".", "in", "through", "and"]) {
                k += 1;
            }
            e = k;
        }
        return Some(e);
    }
    if s.is(v + 1, &["the", "a", "an"])
        && s.w(v + 2).is_some_and(|w| {
            [
                "attack",
                "bombing",
                "killing",
                "killings",
                "assault",
                "strike",
                "blast",
                "ambush",
                "raid",
                "kidnapping",
                "hijacking",
            ]
            .contains(&w)
        })
    {
        return Some(v + 3);
    }
    None
}

/// "According to X, CONTENT" and "CONTENT, according to X".
fn according(s: &Sent, v: usize, found: &mut Vec<Found>) {
    let n = s.items.len();
    // The phrase: up to the next comma (or the sentence end).
    let end = (v + 2..n)
        .find(|&k| s.is(k, &[",", ".", ";", ":"]))
        .unwrap_or(n);
    let Some(speaker) = s.speaker_in(v + 2, end) else {
        return;
    };
    let start = s.clause_start(v);
    if v == start || (v > 0 && v - 1 == start && s.is(start, &["\""])) {
        // Leading: content after the comma, unless it has its own speaker.
        if end >= n || !s.is(end, &[","]) {
            return;
        }
        let a = end + 1;
        let e = s.content_end(a, n);
        let own = (a..e).any(|k| s.is_say(k) || s.is(k, &["admitted", "claimed"]));
        if own || e <= a {
            return;
        }
        found.push(Found {
            speaker: Some(speaker.id.clone()),
            content: Some((a, e)),
            attrib: (v, end),
            act: false,
            fixed: None,
            also: Vec::new(),
        });
    } else if v > start + 1 && s.is(v - 1, &[","]) {
        let e = s.content_end(start, v - 1);
        if e > start {
            found.push(Found {
                speaker: Some(speaker.id.clone()),
                content: Some((start, e)),
                attrib: (v, end),
                act: false,
                fixed: None,
                also: Vec::new(),
            });
        }
    }
}

fn push_statement(
    rule: &str,
    s: &Sent,
    si: usize,
    f: &Found,
    (a, e): (usize, usize),
    attribs: &[(usize, usize)],
    facts: &mut Vec<Fact>,
) {
    let mut args = BTreeMap::new();
    if let Some(sp) = &f.speaker {
        let a = if f.also.is_empty() {
            Arg::Entity(sp.clone())
        } else {
            let mut l = vec![Arg::Entity(sp.clone())];
            l.extend(f.also.iter().map(|x| Arg::Entity(x.clone())));
            Arg::List(l)
        };
        args.insert("speaker".to_string(), a);
    }
    let content = s.span(a, e).slice(s.text).trim().to_string();
    if content.is_empty() {
        return;
    }
    // A quotation in the content (or, for a quote-only verb, after it).
    let qs: Vec<usize> = (a..e).filter(|&k| s.is(k, &["\""])).collect();
    if qs.len() >= 2 {
        let inner = Span::new(s.items[qs[0]].span.end, s.items[qs[1]].span.start);
        let q = inner.slice(s.text).trim();
        if !q.is_empty() {
            args.insert("quote".to_string(), Arg::Text(q.to_string()));
        }
    }
    let content = match &f.fixed {
        Some(c) => c.clone(),
        None => content
            .trim_matches(|c: char| c == '"' || c == '“' || c == '”')
            .to_string(),
    };
    args.insert("content".to_string(), Arg::Text(content));
    // Time: the one date of the attribution itself ("said on Wednesday
    // that", an act's own phrase), else the one date outside the content.
    let one = |dates: &[(usize, &serde_json::Value)]| -> Option<usize> {
        let (v, val) = *dates.first()?;
        dates.iter().all(|d| d.1 == val).then_some(v)
    };
    let (alo, ahi) = if f.act {
        (f.attrib.0, e)
    } else if a >= f.attrib.1 {
        // "said on Wednesday that ...": up to the content.
        (f.attrib.0, a)
    } else {
        // "..., X told parliament on Tuesday, ...": just after the verb.
        (f.attrib.0, f.attrib.1 + 4)
    };
    // An act's content holds its dates, but not those of another
    // attribution nested in it.
    let mine = |k: usize| {
        if k >= a && k < e {
            f.act
                && !attribs
                    .iter()
                    .any(|&(x, y)| (x, y) != f.attrib && x >= a && y <= e && k >= x && k < y)
        } else {
            true
        }
    };
    let own: Vec<(usize, &serde_json::Value)> = (alo..ahi.min(s.items.len()))
        .filter(|&k| mine(k))
        .filter_map(|k| s.date(k).map(|v| (v, &s.values[v].value)))
        .collect();
    let outside: Vec<(usize, &serde_json::Value)> = (0..s.items.len())
        .filter(|&k| mine(k))
        .filter_map(|k| s.date(k).map(|v| (v, &s.values[v].value)))
        .collect();
    // "On June 19, 2025, X and Y reiterated ...": the clause's opening date.
    let cs = s.clause_start(f.attrib.0.min(a));
    let lead: Vec<(usize, &serde_json::Value)> = (cs..f.attrib.0.min(a))
        .filter_map(|k| s.date(k).map(|v| (v, &s.values[v].value)))
        .collect();
    if let Some(v) = one(&own).or_else(|| one(&lead)).or_else(|| one(&outside)) {
        args.insert("time".to_string(), Arg::Value(v));
    }
    let lo = a.min(f.attrib.0);
    let hi = e.max(f.attrib.1).min(s.items.len());
    // Don't repeat a statement another rule already made (same speaker,
    // overlapping evidence).
    let span = s.span(lo, hi);
    if facts.iter().any(|x| {
        x.kind == "statement"
            && x.span.overlaps(span)
            && x.args.get("speaker") == args.get("speaker")
    }) {
        return;
    }
    facts.push(Fact {
        kind: "statement".to_string(),
        span,
        sentence: si,
        rule: rule.to_string(),
        args,
    });
}

/// Folded title -> person ids, from the role facts already made.
fn titled_people(facts: &[Fact]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for f in facts.iter().filter(|f| f.kind == "role") {
        if let (Some(Arg::Text(t)), Some(Arg::Entity(p))) =
            (f.args.get("title"), f.args.get("person"))
        {
            out.push((crate::segment::fold_phrase(t), p.clone()));
        }
    }
    out
}

/// A speaker for a subject with no entity: a pronoun, a bare title, or a
/// transcript turn's "we"/"I".
#[allow(clippy::too_many_arguments)]
fn pronoun_or_title(
    s: &Sent,
    sub: usize,
    v: usize,
    si: usize,
    seg: &Segmentation,
    entities: &[Entity],
    titled: &[(String, String)],
    turns: &[(usize, Option<String>)],
    _facts: &[Fact],
) -> Option<String> {
    let first = s.w(sub)?;
    let at = s.items[sub].span.start;
    let clause_start = sub == 0 || s.is(sub - 1, &[",", "and", "but", "that", "when", ";", "\""]);
    if v == sub + 1 && matches!(first, "he" | "she" | "it") && clause_start {
        let want_person = first != "it";
        // The speaker of a statement just before ("He said ...").
        let lo = seg.sentences[si.saturating_sub(2)].span.start;
        let last = _facts
            .iter()
            .rev()
            .find(|f| f.kind == "statement" && f.span.start >= lo && f.span.end <= at);
        if let Some(Arg::Entity(id)) = last.and_then(|f| f.args.get("speaker")) {
            let person = id.starts_with("official:") || id.starts_with("person:");
            if person == want_person {
                return Some(id.clone());
            }
        }
        let want: &[EntityType] = if first == "it" {
            &[EntityType::Group, EntityType::Organization]
        } else {
            &[EntityType::Official, EntityType::Person]
        };
        // The latest subject (a mention within the first words of its
        // sentence: "Shah identified them as X, Y and Z. ..., he said" is
        // Shah), else the latest mention.
        let is_subject = |m: &crate::layers::Mention| {
            seg.sentences.get(m.sentence).is_some_and(|st| {
                seg.tokens[st.tokens.clone()]
                    .iter()
                    .take_while(|t| t.span.start < m.span.start)
                    .count()
                    <= 3
            })
        };
        let mut best: Option<(usize, &str)> = None;
        let mut best_subject: Option<(usize, &str)> = None;
        // A transcript turn's label ("Spokesperson Shafqat Ali Khan: ...")
        // names who speaks, the "I" of the turn, never its "he".
        let label = |m: &crate::layers::Mention| {
            s.text
                .get(m.span.end..)
                .is_some_and(|rest| rest.trim_start_matches([' ', '\t']).starts_with(':'))
        };
        for e in entities.iter().filter(|e| want.contains(&e.etype)) {
            for m in &e.mentions {
                if m.span.start < lo || m.span.end > at || label(m) {
                    continue;
                }
                if best.is_none_or(|b| m.span.start > b.0) {
                    best = Some((m.span.start, &e.id));
                }
                if is_subject(m) && best_subject.is_none_or(|b| m.span.start > b.0) {
                    best_subject = Some((m.span.start, &e.id));
                }
            }
        }
        return best_subject.or(best).map(|b| b.1.to_string());
    }
    if v == sub + 1 && matches!(first, "we" | "i") {
        return turn_at(turns, seg.sentences[si].block);
    }
    // "the report said": the body whose report a sentence just before
    // named ("according to the annual report of the CRSS").
    if first == "the" && v == sub + 2 && s.is(sub + 1, REPORT_NOUNS) {
        let noun = s.w(sub + 1)?;
        let lo = seg.sentences[si.saturating_sub(2)].span.start;
        let names_noun = |m: &crate::layers::Mention| {
            seg.sentences
                .get(m.sentence)
                .is_some_and(|st| st.tokens.clone().any(|t| seg.folded(t) == noun))
        };
        return entities
            .iter()
            .filter(|e| e.etype == EntityType::Organization)
            .flat_map(|e| e.mentions.iter().map(move |m| (m, &e.id)))
            .filter(|(m, _)| m.span.start >= lo && m.span.end <= at && names_noun(m))
            .max_by_key(|(m, _)| m.span.start)
            .map(|(_, id)| id.clone());
    }
    // "the Prime Minister said": the one person with that title.
    if first == "the" && v > sub + 1 {
        let phrase: Vec<&str> = (sub + 1..v).filter_map(|k| s.w(k)).collect();
        if phrase.len() != v - sub - 1 {
            return None;
        }
        let phrase = phrase.join(" ");
        let mut who: Vec<&String> = titled
            .iter()
            .filter(|(t, _)| *t == phrase || t.starts_with(&format!("{phrase} ")))
            .map(|(_, p)| p)
            .collect();
        who.dedup();
        if who.len() == 1 {
            return Some(who[0].clone());
        }
    }
    // "The Mission noted", "the Agency said": the latest body named
    // before whose name holds that capitalized head ("United Nations
    // Assistance Mission in Afghanistan (UNAMA)").
    if first == "the" && v == sub + 2 {
        let head = s.raw(sub + 1);
        if head.len() >= 4
            && head.starts_with(char::is_uppercase)
            && head.chars().skip(1).all(char::is_lowercase)
        {
            let holds = |e: &Entity, m: &crate::layers::Mention| {
                e.name.split_whitespace().any(|w| w == head)
                    || m.span.slice(s.text).split_whitespace().any(|w| w == head)
            };
            return entities
                .iter()
                .filter(|e| e.etype == EntityType::Organization)
                .flat_map(|e| e.mentions.iter().map(move |m| (e, m)))
                .filter(|(e, m)| m.span.end <= at && holds(e, m))
                .max_by_key(|(_, m)| m.span.start)
                .map(|(e, _)| e.id.clone());
        }
    }
    None
}

/// Transcript turns: for each block that opens with an upper-case label and
/// a colon ("SPOKESPERSON (Shafqat Ali Khan):", "MISRI:"), the person it
/// names, or the person of an earlier label with the same first word.
fn turn_speakers(
    seg: &Segmentation,
    text: &str,
    ments: &[(Span, usize)],
    entities: &[Entity],
) -> Vec<(usize, Option<String>)> {
    let mut out: Vec<(usize, Option<String>)> = Vec::new();
    let mut labels: Vec<(String, String)> = Vec::new();
    for (bi, b) in seg.blocks.iter().enumerate() {
        let body = b.span.slice(text);
        // A label is at most 80 bytes: look no further for its colon.
        let Some(colon) = body.bytes().take(81).position(|c| c == b':') else {
            continue;
        };
        let label = &body[..colon];
        if label.is_empty() || label.len() > 80 {
            continue;
        }
        let head: String = label
            .split(['(', ','])
            .next()
            .unwrap_or("")
            .trim()
            .to_string();
        // Upper case ("SPOKESPERSON"), or a few capitalized words
        // ("Spokesperson Mumtaz Zahra Baloch", "Question").
        let title_case = || {
            let words: Vec<&str> = head.split_whitespace().collect();
            words.len() <= 5
                && words.iter().all(|w| {
                    w.chars().next().is_some_and(|c| c.is_uppercase())
                        || matches!(*w, "of" | "for" | "and" | "the")
                })
        };
        if head.is_empty() || (head.chars().any(|c| c.is_lowercase()) && !title_case()) {
            continue;
        }
        let lo = b.span.start;
        let hi = b.span.start + colon;
        let first = ments.partition_point(|m| m.0.start < lo);
        let who = ments[first..]
            .iter()
            .take_while(|m| m.0.start < hi)
            .filter(|m| m.0.end <= hi)
            .map(|m| &entities[m.1])
            .find(|e| matches!(e.etype, EntityType::Official | EntityType::Person))
            .map(|e| e.id.clone());
        let key = head.split_whitespace().next().unwrap_or("").to_lowercase();
        let who = match who {
            Some(w) => {
                labels.push((key, w.clone()));
                Some(w)
            }
            None => labels
                .iter()
                .rev()
                .find(|l| l.0 == key)
                .map(|l| l.1.clone()),
        };
        out.push((bi, who));
    }
    out
}

// ---------------------------------------------------------------- meetings

/// Plural offices named by the places that hold them ("the chief
/// ministers of Khyber Pakhtunkhwa and Balochistan").
const PLURAL_OFFICES: &[&str] = &[
    "ministers",
    "inspectors",
    "governors",
    "chiefs",
    "heads",
    "commanders",
    "secretaries",
    "representatives",
    "officials",
    "envoys",
    "ambassadors",
    "delegations",
    "leaders",
];

/// Nouns of a meeting that others chair or attend.
const MEETING_NOUNS: &[&str] = &[
    "meeting",
    "session",
    "conference",
    "summit",
    "huddle",
    "moot",
    "jirga",
];

/// Who else a meeting had: official and person names as [`name_list`]
/// reads them, and offices named by their places ("the chief ministers of
/// X and Y" gives the places, as "the foreign ministers of X and Y met"
/// does). Returns where the list ends.
fn attendee_list(s: &Sent, a: usize, out: &mut Vec<String>) -> usize {
    let n = s.items.len();
    let mut i = a;
    loop {
        let j = name_list(s, i, None, out);
        // "the (provincial)? chief ministers of {place} (, {place})* and {place}"
        let mut k = j + usize::from(s.is(j, &["the"]));
        // "the inspectors general of police of X": the office runs on.
        let head = (k..(k + 4).min(n))
            .find(|&x| s.is(x, PLURAL_OFFICES))
            .map(|mut h| {
                h += usize::from(s.is(h + 1, &["general"]));
                if s.is(h + 1, &["of"]) && s.is(h + 2, &["police"]) && s.is(h + 3, &["of"]) {
                    h += 2;
                }
                h
            });
        let Some(h) = head.filter(|&h| {
            (k..h).all(|x| s.w(x).is_some_and(|w| w.chars().all(char::is_alphabetic)))
                && s.is(h + 1, &["of"])
        }) else {
            return j;
        };
        k = h + 2;
        let mut got = false;
        while k < n {
            match s.ent(k) {
                Some(e) if e.etype == EntityType::Place => {
                    if !out.contains(&e.id) {
                        out.push(e.id.clone());
                    }
                    got = true;
                }
                _ if s.is(k, &[",", "and", "the"]) => {}
                _ => break,
            }
            k += 1;
        }
        if !got {
            return j;
        }
        while k > j && s.is(k - 1, &[",", "and", "the"]) {
            k -= 1;
        }
        // Another name or office after "and".
        if s.is(k, &["and", ","]) && k + 1 < n && k + 1 > i {
            i = k + 1;
            continue;
        }
        return k;
    }
}

/// Those a meeting had besides its chair: "chaired a meeting in Islamabad
/// with the chief ministers of X and Y"; "The apex committee meeting,
/// chaired by X and attended by A, B and C, ..." (which makes the meeting
/// when no rule did, its format the meeting's noun phrase).
fn attendees(rule: &str, sents: &[Sent], facts: &mut Vec<Fact>) {
    for (si, s) in sents.iter().enumerate() {
        let n = s.items.len();
        // "chaired by X", "presided over by X", "attended by A, B and C",
        // "joined by X": the names after "by".
        let mut named: Vec<String> = Vec::new();
        let mut first: Option<usize> = None;
        let mut last = 0;
        for v in 0..n {
            if !s.is(v, &["chaired", "presided", "attended", "joined", "hosted"]) {
                continue;
            }
            let by = v + 1 + usize::from(s.is(v + 1, &["over"]));
            if !s.is(by, &["by"]) {
                continue;
            }
            let before = named.len();
            let end = attendee_list(s, by + 1, &mut named);
            if named.len() > before {
                first.get_or_insert(v);
                last = last.max(end);
            }
        }
        // "... meeting ... with A and B" after a meeting of the sentence
        // (not a visit's: "will travel to Kabul for the meeting with the
        // foreign ministers of X and Y" names whom the visit's meeting has).
        let mut with: Vec<String> = Vec::new();
        for x in facts.iter().filter(|x| {
            x.kind == "meeting" && x.sentence == si && !x.rule.ends_with("#meeting-visit")
        }) {
            let Some(k) = (0..n).find(|&k| s.items[k].span.start >= x.span.end) else {
                continue;
            };
            let Some(w) = (k..(k + 6).min(n))
                .take_while(|&j| !s.is(j, &[",", ";", ".", "and"]))
                .find(|&j| s.is(j, &["with"]))
            else {
                continue;
            };
            attendee_list(s, w + 1, &mut with);
        }
        if named.is_empty() && with.is_empty() {
            continue;
        }
        let mut grown = false;
        for x in facts
            .iter_mut()
            .filter(|x| x.kind == "meeting" && x.sentence == si)
        {
            let mut all = participants(x);
            for id in named.iter().chain(&with) {
                if !all.contains(id) {
                    all.push(id.clone());
                }
            }
            x.args.insert("participants".to_string(), id_list(&all));
            grown = true;
        }
        if grown || named.is_empty() {
            continue;
        }
        // No meeting yet: the noun phrase before "chaired by" is one.
        let Some(v) = first else { continue };
        let Some(m) = (v.saturating_sub(6)..v)
            .rev()
            .find(|&k| s.is(k, MEETING_NOUNS))
        else {
            continue;
        };
        let mut a = m;
        while a > 0
            && a + 4 > m
            && s.w(a - 1)
                .is_some_and(|w| w.chars().all(|c| c.is_alphabetic() || c == '-'))
            && !s.is(
                a - 1,
                &["the", "a", "an", "of", "in", "at", "and", "was", "were"],
            )
        {
            a -= 1;
        }
        let mut args = BTreeMap::new();
        args.insert(
            "format".to_string(),
            Arg::Text(s.span(a, m + 1).slice(s.text).to_string()),
        );
        if let Some(d) = one_date(s, 0, n) {
            args.insert("time".to_string(), Arg::Value(d));
        }
        args.insert("participants".to_string(), id_list(&named));
        facts.push(Fact {
            kind: "meeting".to_string(),
            span: s.span(a, last.max(v + 1)),
            sentence: si,
            rule: rule.to_string(),
            args,
        });
    }
}

/// Official or person ids named in items `a..` as a list ("Sinha and the
/// police chief, R.R. Swain"), with "me"/"us" as the transcript turn's
/// speaker; the list ends at the first item that is neither a name, a title
/// nor list punctuation.
fn name_list(s: &Sent, a: usize, me: Option<&str>, out: &mut Vec<String>) -> usize {
    let n = s.items.len();
    let mut i = a;
    while i < n {
        if let Some(e) = s.ent(i) {
            if !matches!(e.etype, EntityType::Official | EntityType::Person) {
                // "Afghan Foreign Minister X": a place before a title.
                if e.etype == EntityType::Place
                    && (s.is(i + 1, TITLE_HEADS) || s.is(i + 1, TITLE_WORDS))
                {
                    i += 1;
                    continue;
                }
                break;
            }
            if !out.contains(&e.id) {
                out.push(e.id.clone());
            }
        } else if s.is(i, &["me", "us"]) {
            match me {
                Some(m) if !out.iter().any(|x| x == m) => out.push(m.to_string()),
                Some(_) => {}
                None => break,
            }
        } else if !(s.is(
            i,
            &[
                ",", "and", "the", "his", "her", "their", "its", "'s", "s", "’",
            ],
        ) || s.is(i, TITLE_HEADS)
            || s.is(i, TITLE_WORDS)
            || s.is(i, HONORIFICS)
            || (s.capitalized(i) && !s.is(i, &["on", "in", "at", "during"])))
        {
            break;
        }
        i += 1;
    }
    i
}

/// The one date value among items `a..b`, when all agree.
fn one_date(s: &Sent, a: usize, b: usize) -> Option<usize> {
    let dates: Vec<usize> = (a..b.min(s.items.len()))
        .filter_map(|k| s.date(k))
        .collect();
    let first = *dates.first()?;
    dates
        .iter()
        .all(|&d| s.values[d].value == s.values[first].value)
        .then_some(first)
}

/// The participants of a meeting fact, as ids.
fn participants(f: &Fact) -> Vec<String> {
    match f.args.get("participants") {
        Some(Arg::List(l)) => l
            .iter()
            .filter_map(|a| match a {
                Arg::Entity(e) => Some(e.clone()),
                _ => None,
            })
            .collect(),
        Some(Arg::Entity(e)) => vec![e.clone()],
        _ => Vec::new(),
    }
}

fn id_list(ids: &[String]) -> Arg {
    if ids.len() == 1 {
        Arg::Entity(ids[0].clone())
    } else {
        Arg::List(ids.iter().map(|x| Arg::Entity(x.clone())).collect())
    }
}

/// Meetings whose subject or object the patterns cannot name, from a verb
/// of meeting: "spoke (by telephone) to/with", "held/had a (phone) call or
/// talks with", "called", "met", "will meet". The subject is read like a
/// statement's speaker (a name, "he", "the Secretary", a transcript turn's
/// "I"/"we"); the object is a list of names ("me"/"us" is the turn's
/// speaker). "during a visit to P" makes it a visit to P. A meeting of the
/// same sentence with fewer participants takes this one's list; a meeting
/// with no format or date of its own whose subject met in the sentence
/// before ("Dar will travel to Kabul for the trilateral meeting. Dar will
/// meet A and B.") adds its names to that one, and so does "X led our
/// side" / "X led the American delegation".
#[allow(clippy::too_many_arguments)]
fn meetings(
    rule: &str,
    sents: &[Sent],
    seg: &Segmentation,
    entities: &[Entity],
    titled: &[(String, String)],
    turns: &[(usize, Option<String>)],
    facts: &mut Vec<Fact>,
) {
    for (si, s) in sents.iter().enumerate() {
        let n = s.items.len();
        let me = turn_at(turns, seg.sentences[si].block);
        for v in 0..n {
            if !s.is_meet(v) {
                continue;
            }
            let mut format: Option<&str> = None;
            // Where the object list starts.
            let obj = if s.is(v, &["spoke", "speaks", "talked", "talks"]) {
                let mut k = v + 1;
                if s.is(k, &["by", "over", "on"]) {
                    k += 1 + usize::from(s.is(k + 1, &["the"]));
                    if !s.is(k, &["telephone", "phone"]) {
                        continue;
                    }
                    format = Some("phone call");
                    k += 1;
                }
                if !s.is(k, &["to", "with"]) {
                    continue;
                }
                k + 1
            } else if s.is(v, &["held", "had", "holds", "has", "made"]) {
                let mut k = v + 1;
                if s.is(k, &["a", "an"]) {
                    k += 1;
                }
                if s.is(k, &["telephone", "phone"]) {
                    format = Some("phone call");
                    k += 1;
                }
                if s.is(k, &["call", "conversation"]) {
                    format = format.or(Some("phone call"));
                } else if s.is(k, &["talks"]) {
                    format = Some("talks");
                } else {
                    continue;
                }
                if !s.is(k + 1, &["with"]) {
                    continue;
                }
                k + 2
            } else if s.is(v, &["called", "phoned", "telephoned"]) {
                format = Some("phone call");
                v + 1
            } else if s.is(v, &["met", "meet", "meets"]) {
                v + 1 + usize::from(s.is(v + 1, &["with"]))
            } else if s.is(v, &["discussed", "discusses"]) {
                // "discussed counterterrorism with Kurilla".
                match (v + 1..(v + 6).min(n)).find(|&k| s.is(k, &["with"])) {
                    Some(k) if !(v + 1..k).any(|x| s.is(x, &[",", ";", "."])) => k + 1,
                    _ => continue,
                }
            } else {
                continue;
            };
            let mut ids: Vec<String> = Vec::new();
            // Subject.
            let Some(sub) = s.subject_start(v) else {
                continue;
            };
            // "The Secretary also held": the subject without its adverbs.
            let mut se = v;
            while se > sub + 1 && (s.is(se - 1, ADVERBS) || s.date(se - 1).is_some()) {
                se -= 1;
            }
            let subj = match s.speaker_in(sub, se) {
                Some(e) if matches!(e.etype, EntityType::Official | EntityType::Person) => {
                    Some(e.id.clone())
                }
                Some(_) => None,
                None => pronoun_or_title(s, sub, se, si, seg, entities, titled, turns, facts),
            };
            let Some(subj) = subj else { continue };
            if !subj.starts_with("official:") && !subj.starts_with("person:") {
                continue;
            }
            ids.push(subj);
            let mut end = name_list(s, obj, me.as_deref(), &mut ids);
            while end > obj && s.is(end - 1, &[",", ".", "and", "the"]) {
                end -= 1;
            }
            if ids.len() < 2 || end == obj {
                continue;
            }
            let mut args = BTreeMap::new();
            let mut place = None;
            // "... during a visit to Tampa in July 2025".
            if let Some(k) = (end..n.min(end + 6)).find(|&k| s.is(k, &["visit", "trip"])) {
                if s.is(k + 1, &["to"]) {
                    if let Some(p) = s.ent(k + 2).filter(|e| e.etype == EntityType::Place) {
                        format = Some("visit");
                        place = Some(p.id.clone());
                    }
                }
            }
            // "held talks with X in Islamabad on Tuesday": where right after
            // the names.
            if place.is_none() && s.is(end, &["in", "at"]) {
                let k = end + 1 + usize::from(s.is(end + 1, &["the"]));
                if let Some(p) = s.ent(k).filter(|e| e.etype == EntityType::Place) {
                    place = Some(p.id.clone());
                }
            }
            if let Some(f) = format {
                args.insert("format".to_string(), Arg::Text(f.to_string()));
            }
            if let Some(p) = place {
                args.insert("place".to_string(), Arg::Entity(p));
            }
            if let Some(d) = one_date(s, 0, n) {
                args.insert("time".to_string(), Arg::Value(d));
            }
            args.insert("participants".to_string(), id_list(&ids));
            let span = s.span(sub, end);
            // The same meeting from a pattern: keep the longer list.
            if let Some(x) = facts
                .iter_mut()
                .find(|x| x.kind == "meeting" && x.sentence == si && x.span.overlaps(span))
            {
                let old = participants(x);
                if old.iter().all(|p| ids.contains(p)) && ids.len() > old.len() {
                    x.args.insert("participants".to_string(), id_list(&ids));
                    x.span = Span::new(x.span.start.min(span.start), x.span.end.max(span.end));
                    for (k, a) in args {
                        x.args.entry(k).or_insert(a);
                    }
                }
                continue;
            }
            // "Dar will meet A and B." after "Dar will travel to Kabul for
            // the trilateral meeting.": the same meeting.
            if !args.contains_key("format") && !args.contains_key("time") {
                if let Some(x) = earlier_meeting(si, seg, facts, &ids[0]) {
                    let mut all = participants(x);
                    for id in &ids {
                        if !all.contains(id) {
                            all.push(id.clone());
                        }
                    }
                    x.args.insert("participants".to_string(), id_list(&all));
                    continue;
                }
            }
            facts.push(Fact {
                kind: "meeting".to_string(),
                span,
                sentence: si,
                rule: rule.to_string(),
                args,
            });
        }
        // "X will travel to Kabul for the trilateral meeting": the visit's
        // purpose is the meeting's format.
        let mut purposes: Vec<Fact> = Vec::new();
        for x in facts
            .iter()
            .filter(|x| x.kind == "meeting" && x.sentence == si)
        {
            if !matches!(x.args.get("format"), Some(Arg::Text(f)) if f == "visit") {
                continue;
            }
            let Some(k) = (0..n).find(|&k| s.items[k].span.start >= x.span.end) else {
                continue;
            };
            if !(s.is(k, &["for"]) && s.is(k + 1, &["the", "a", "an"])) {
                continue;
            }
            let a = k + 2;
            let mut b = a;
            while b < n
                && b < a + 3
                && !s.is(b, &["meeting", "summit", "talks", "conference", "dialogue"])
            {
                b += 1;
            }
            if s.is(b, &["meeting", "summit", "talks", "conference", "dialogue"])
                && (a..b).all(|j| s.w(j).is_some_and(|w| w.chars().all(char::is_alphabetic)))
            {
                let f = s.span(a, b + 1).slice(s.text).to_string();
                let mut m = x.clone();
                m.args.insert("format".to_string(), Arg::Text(f));
                m.span = Span::new(x.span.start, s.items[b].span.end);
                purposes.push(m);
            }
        }
        facts.extend(purposes);
        // "Special Secretary Nabeel Munir led our side, and Ambassador X
        // led the American delegation": the heads of the delegations of the
        // meeting before.
        for v in 0..n {
            if !s.is_meet(v) || !s.is(v, &["led", "leads", "headed", "heads"]) {
                continue;
            }
            let mut k = v + 1;
            while k < n && k < v + 4 && !s.is(k, &["side", "delegation", "team"]) {
                k += 1;
            }
            if !s.is(k, &["side", "delegation", "team"]) {
                continue;
            }
            let Some(sub) = s.subject_start(v) else {
                continue;
            };
            let Some(e) = s
                .speaker_in(sub, v)
                .filter(|e| matches!(e.etype, EntityType::Official | EntityType::Person))
            else {
                continue;
            };
            let id = e.id.clone();
            if let Some(x) = earlier_meeting(si, seg, facts, "") {
                let mut all = participants(x);
                if !all.contains(&id) {
                    all.push(id);
                }
                x.args.insert("participants".to_string(), id_list(&all));
            }
        }
    }
}

/// "The two sides agreed to work together against X", "both countries
/// agreed to a cessation of hostilities": a cooperation whose parties are
/// the places that met in the sentences before (a meeting's participants),
/// else the last two countries named there. The topic is the agreed
/// clause (a trailing date left out); the time the sentence's date, else
/// the meeting's.
fn two_sides(rule: &str, sents: &[Sent], seg: &Segmentation, facts: &mut Vec<Fact>) {
    for (si, s) in sents.iter().enumerate() {
        let n = s.items.len();
        for v in 0..n {
            // "The two countries signed a memorandum of understanding on
            // counter-terrorism in 2023": what they signed is the topic.
            let signed = s.is(v, &["signed", "inked"]);
            if !signed && (!s.is_meet(v) || !s.is(v, &["agreed", "agree", "agrees"])) {
                continue;
            }
            let mut k = v;
            while k > 0
                && s.is(
                    k - 1,
                    &["have", "had", "has", "also", "then", "later", "finally"],
                )
            {
                k -= 1;
            }
            const SIDES: &[&str] = &[
                "sides",
                "countries",
                "governments",
                "militaries",
                "neighbours",
                "neighbors",
                "parties",
            ];
            // "both sides", "the two sides" (or "two countries" read as a
            // count value).
            let start = if k >= 2 && s.is(k - 1, SIDES) {
                if s.is(k - 2, &["both"]) {
                    Some(k - 2)
                } else if s.is(k - 2, &["two"]) && k >= 3 && s.is(k - 3, &["the"]) {
                    Some(k - 3)
                } else {
                    None
                }
            } else if k >= 1 && matches!(s.items[k - 1].k, K::Val(_)) {
                let t = s.raw(k - 1).to_lowercase();
                let (the, rest) = match t.strip_prefix("the ") {
                    Some(r) => (true, r),
                    None => (k >= 2 && s.is(k - 2, &["the"]), t.as_str()),
                };
                let two = rest
                    .strip_prefix("two ")
                    .is_some_and(|r| the && SIDES.contains(&r));
                let both = rest
                    .strip_prefix("both ")
                    .is_some_and(|r| SIDES.contains(&r));
                let at = if the && !t.starts_with("the ") {
                    k - 2
                } else {
                    k - 1
                };
                (two || both).then_some(at)
            } else {
                None
            };
            let Some(start) = start else { continue };
            let a = if signed {
                v + 1 + usize::from(s.is(v + 1, &["a", "an", "the"]))
            } else {
                v + 1 + usize::from(s.is(v + 1, &["to", "on"]))
            };
            if a >= n || (a == v + 1 && !signed) {
                continue;
            }
            let mut e = s.content_end(a, n);
            // ", and to strengthen ...": a second thing agreed.
            if let Some(c) =
                (a..e).find(|&c| s.is(c, &[","]) && s.is(c + 1, &["and"]) && s.is(c + 2, &["to"]))
            {
                e = c;
            }
            // What was signed ends at the clause's first comma.
            if signed {
                if let Some(c) = (a..e).find(|&c| s.is(c, &[",", ";"])) {
                    e = c;
                }
            }
            let clause_end = e;
            // "agreed to a ceasefire late on Saturday after talks ...": a
            // truce is the whole topic, what follows only frames it.
            let mut c = a;
            while c < e
                && s.is(
                    c,
                    &[
                        "a",
                        "an",
                        "the",
                        "immediate",
                        "full",
                        "complete",
                        "permanent",
                        "formal",
                    ],
                )
            {
                c += 1;
            }
            if c < e && s.is(c, &["ceasefire", "truce"]) {
                e = c + 1;
            }
            // "... on 10 May 2025": the date is the time, not the topic.
            while e > a && (s.date(e - 1).is_some() || s.is(e - 1, &["on", "in", ","])) {
                e -= 1;
            }
            if e <= a {
                continue;
            }
            let lo = si.saturating_sub(3);
            let met = facts
                .iter()
                .rev()
                .find(|x| recent_meeting(x, seg, si, 3, ""));
            let mut parties: Vec<String> = met
                .map(|m| {
                    participants(m)
                        .into_iter()
                        .filter(|p| p.starts_with("place:"))
                        .collect()
                })
                .unwrap_or_default();
            let mut time = one_date(s, 0, clause_end).map(Arg::Value);
            if parties.len() >= 2 {
                if time.is_none() {
                    time = met.and_then(|m| m.args.get("time").cloned());
                }
            } else {
                parties = last_two_countries(sents, lo, si, k);
            }
            if parties.len() < 2 {
                continue;
            }
            let mut args = BTreeMap::new();
            args.insert("parties".to_string(), id_list(&parties));
            let topic = s.span(a, e).slice(s.text).trim();
            let topic = topic
                .strip_prefix("a ")
                .or_else(|| topic.strip_prefix("an "))
                .unwrap_or(topic);
            args.insert("topic".to_string(), Arg::Text(topic.to_string()));
            if let Some(t) = time {
                args.insert("time".to_string(), t);
            }
            facts.push(Fact {
                kind: "cooperation".to_string(),
                span: s.span(start, e),
                sentence: si,
                rule: rule.to_string(),
                args,
            });
        }
    }
}

/// Kind words of "the state", "the province" and the place kinds they
/// stand for.
const PLACE_ANAPHORS: &[(&str, &[&str])] = &[
    ("state", &["state"]),
    ("province", &["province"]),
    ("country", &["country"]),
    ("district", &["district"]),
    ("city", &["city"]),
];

/// An official's stay of days or weeks in a place is a visit ("Amit Shah
/// spends four days in Manipur", "... spent two weeks in the province"):
/// "the state" (province, country, district, city) is the last place of
/// that kind named before in the document.
fn stays(rule: &str, sents: &[Sent], facts: &mut Vec<Fact>) {
    for (si, s) in sents.iter().enumerate() {
        let n = s.items.len();
        for v in 1..n {
            if !s.is_rare(v, STAY_VERBS) {
                continue;
            }
            let Some(who) = s.ent(v - 1).filter(|e| e.etype == EntityType::Official) else {
                continue;
            };
            // "four days", "two weeks", "a week": a duration of days or weeks.
            let Some(d) = (v + 1..(v + 3).min(n)).find(|&k| {
                matches!(s.items[k].k, K::Val(x)
                    if s.values[x].vtype == ValueType::Duration
                        && s.values[x].value.as_str().is_some_and(|p| p.ends_with('D') || p.ends_with('W')))
            }) else {
                continue;
            };
            if !s.is(d + 1, &["in"]) {
                continue;
            }
            let (place, hi) = if let Some(p) = s.ent(d + 2).filter(|e| e.etype == EntityType::Place)
            {
                (p.id.clone(), d + 3)
            } else if s.is(d + 2, &["the"]) {
                let Some(kinds) = PLACE_ANAPHORS
                    .iter()
                    .find(|(w, _)| s.is(d + 3, &[w]))
                    .map(|x| x.1)
                else {
                    continue;
                };
                let found = ents_before(sents, 0, si, v).find(|e| {
                    e.etype == EntityType::Place
                        && e.attributes
                            .get("kind")
                            .and_then(|k| k.as_str())
                            .is_some_and(|k| kinds.contains(&k))
                });
                let Some(p) = found.map(|e| e.id.clone()) else {
                    continue;
                };
                (p, d + 4)
            } else {
                continue;
            };
            let mut args = BTreeMap::new();
            args.insert(
                "participants".to_string(),
                Arg::List(vec![Arg::Entity(who.id.clone())]),
            );
            args.insert("format".to_string(), Arg::Text("visit".to_string()));
            args.insert("place".to_string(), Arg::Entity(place));
            if let Some(t) = one_date(s, 0, s.content_end(v, n)) {
                args.insert("time".to_string(), Arg::Value(t));
            }
            facts.push(Fact {
                kind: "meeting".to_string(),
                span: s.span(v - 1, hi),
                sentence: si,
                rule: rule.to_string(),
                args,
            });
        }
    }
}

/// The last two countries named before item `k` of sentence `si`, back to
/// sentence `lo`, in text order (fewer when fewer are named).
fn last_two_countries(sents: &[Sent], lo: usize, si: usize, k: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for x in ents_before(sents, lo, si, k) {
        // A country, or a state's military that speaks for it
        // ("Pakistan's military said ...").
        let country = if x.etype == EntityType::Place
            && x.attributes.get("kind").and_then(|k| k.as_str()) == Some("country")
        {
            Some(x.id.as_str())
        } else if x.etype == EntityType::Organization
            && x.attributes.get("kind").and_then(|k| k.as_str()) == Some("military")
        {
            x.attributes.get("country").and_then(|c| c.as_str())
        } else {
            None
        };
        if let Some(c) = country.filter(|c| !out.iter().any(|o| o == c)) {
            out.push(c.to_string());
            if out.len() == 2 {
                break;
            }
        }
    }
    out.reverse();
    out
}

/// The entities mentioned before item `k` of sentence `si`, back to
/// sentence `lo`, nearest first.
fn ents_before<'s>(
    sents: &'s [Sent],
    lo: usize,
    si: usize,
    k: usize,
) -> impl Iterator<Item = &'s Entity> + 's {
    (lo..=si).rev().flat_map(move |sj| {
        let t = &sents[sj];
        let end = if sj == si { k } else { t.items.len() };
        (0..end).rev().filter_map(move |i| t.ent(i))
    })
}

/// Words after "ceasefire"/"truce" that make it an agreement concluded
/// ("the ceasefire signed in Doha"); "mediated"/"brokered by" name a
/// mediator, not the sides.
const CONCLUDED: &[&str] = &["signed", "agreed", "reached", "struck", "concluded"];

/// Words after "ceasefire"/"truce" that name its mediator ("brokered by a
/// jirga"): the sides are still to be found.
const MEDIATED: &[&str] = &["brokered", "mediated"];

/// Nouns of fighting whose "between A and B" names the sides of a later
/// ceasefire.
const FIGHTING: &[&str] = &[
    "clashes",
    "clash",
    "fighting",
    "hostilities",
    "war",
    "feud",
    "violence",
    "skirmishes",
];

/// The sides of the fighting last named before item `k` of sentence `si`,
/// back to sentence `lo` ("clashes between Sunni and Shia tribes" gives
/// "Sunni tribes" and "Shia tribes"; a side that is one entity gives its
/// id).
fn fight_sides(sents: &[Sent], lo: usize, si: usize, k: usize) -> Option<Vec<Arg>> {
    const STOP: &[&str] = &[
        "in",
        "over",
        "on",
        "along",
        "across",
        "at",
        ",",
        ".",
        ";",
        ":",
        "that",
        "which",
        "who",
        "since",
        "for",
        "after",
        "during",
        "and",
        "went",
        "broke",
        "began",
        "left",
        "is",
        "are",
        "was",
        "were",
        "has",
        "have",
        "had",
        "will",
        "would",
        "continue",
        "continues",
    ];
    for sj in (lo..=si).rev() {
        let t = &sents[sj];
        let end = if sj == si { k } else { t.items.len() };
        let Some(i) = (0..end.saturating_sub(4))
            .rev()
            .find(|&i| t.is(i, FIGHTING) && t.is(i + 1, &["between"]))
        else {
            continue;
        };
        let a0 = i + 2 + usize::from(t.is(i + 2, &["the"]));
        let and = (a0 + 1..(a0 + 5).min(end)).find(|&j| t.is(j, &["and"]))?;
        let b0 = and + 1 + usize::from(t.is(and + 1, &["the"]));
        let mut b1 = b0;
        // Up to a verb ("... tribes went on", "... erupted").
        while b1 < end
            && b1 < b0 + 5
            && !t.is(b1, STOP)
            && !t.w(b1).is_some_and(|w| w.len() > 4 && w.ends_with("ed"))
        {
            b1 += 1;
        }
        if b1 == b0 {
            return None;
        }
        let side = |x: usize, y: usize, head: Option<&str>| -> Arg {
            if y == x + 1 {
                if let Some(e) = t.ent(x) {
                    return Arg::Entity(e.id.clone());
                }
            }
            let text = t.span(x, y).slice(t.text).to_string();
            match head {
                Some(h) => Arg::Text(format!("{text} {h}")),
                None => Arg::Text(text),
            }
        };
        // "Sunni and Shia tribes": the head noun belongs to both.
        let shared = (and == a0 + 1 && b1 >= b0 + 2 && t.ent(a0).is_none()).then(|| t.raw(b1 - 1));
        return Some(vec![side(a0, and, shared), side(b0, b1, None)]);
    }
    None
}

/// A ceasefire or truce concluded or brokered with no sides named with it
/// ("The ceasefire signed in Doha on October 19 is welcome", "clashes ended
/// in a truce agreed in Muscat yesterday"): its parties are the sides of
/// the fighting named just before ("clashes between A and B"), else, like
/// "the two sides", the last two countries named (this sentence and the
/// three before); its place the one after "in", its time the one date of
/// its clause.
fn implied_sides(rule: &str, sents: &[Sent], facts: &mut Vec<Fact>) {
    for (si, s) in sents.iter().enumerate() {
        let n = s.items.len();
        for w in 0..n {
            if !s.is_rare(w, &["ceasefire", "truce"]) {
                continue;
            }
            let mut v = w + 1;
            if s.is(v, &["was", "had", "has", "been"]) {
                v += 1;
                if s.is(v, &["been"]) {
                    v += 1;
                }
            }
            let mediated = s.is(v, MEDIATED);
            if !s.is(v, CONCLUDED) && !mediated {
                continue;
            }
            // Sides named with it are a rule's business ("a truce between
            // X and Y", "X and Y agreed a ceasefire", "signed by X").
            let end = s.content_end(v, n);
            if (w..end).any(|i| s.is(i, &["between"]) || (!mediated && s.is(i, &["by"])))
                || facts
                    .iter()
                    .any(|f| f.kind == "cooperation" && f.sentence == si)
            {
                continue;
            }
            let mut hi = v + 1;
            let lo = si.saturating_sub(3);
            let parties = match fight_sides(sents, lo, si, w) {
                Some(p) => Arg::List(p),
                None => {
                    let c = last_two_countries(sents, lo, si, w);
                    if c.len() < 2 {
                        continue;
                    }
                    id_list(&c)
                }
            };
            let mut args = BTreeMap::new();
            args.insert("parties".to_string(), parties);
            args.insert("topic".to_string(), Arg::Text(s.raw(w).to_string()));
            if s.is(v + 1, &["in", "at"]) {
                if let Some(p) = s.ent(v + 2).filter(|e| e.etype == EntityType::Place) {
                    args.insert("place".to_string(), Arg::Entity(p.id.clone()));
                    hi = v + 3;
                }
            }
            if let Some(d) = one_date(s, v, end) {
                args.insert("time".to_string(), Arg::Value(d));
                if let Some(k) = (v..end).find(|&k| s.date(k) == Some(d)) {
                    hi = hi.max(k + 1);
                }
            }
            facts.push(Fact {
                kind: "cooperation".to_string(),
                span: s.span(w, hi),
                sentence: si,
                rule: rule.to_string(),
                args,
            });
        }
    }
}

/// The meeting of the sentence before `si` (or of `si` itself, earlier) in
/// the same block, with `who` among its participants unless `who` is empty.
fn earlier_meeting<'f>(
    si: usize,
    seg: &Segmentation,
    facts: &'f mut [Fact],
    who: &str,
) -> Option<&'f mut Fact> {
    facts
        .iter_mut()
        .rev()
        .find(|x| recent_meeting(x, seg, si, 1, who))
}

/// Whether `x` is a meeting stated in sentence `si` or one of the `back`
/// sentences before it, in the same block, with `who` among its
/// participants (any participants when `who` is empty).
fn recent_meeting(x: &Fact, seg: &Segmentation, si: usize, back: usize, who: &str) -> bool {
    x.kind == "meeting"
        && x.sentence >= si.saturating_sub(back)
        && x.sentence <= si
        && seg.sentences[x.sentence].block == seg.sentences[si].block
        && (who.is_empty() || participants(x).iter().any(|p| p == who))
}

// ---------------------------------------------------------------- roles

/// Role facts from titles written next to officials and persons.
fn roles(rule: &str, sents: &[Sent], facts: &mut Vec<Fact>) {
    let mut seen: Vec<(String, String)> = Vec::new();
    for (si, s) in sents.iter().enumerate() {
        for p in 0..s.items.len() {
            let Some(e) = s.ent(p) else { continue };
            if !matches!(e.etype, EntityType::Official | EntityType::Person) {
                continue;
            }
            let found = [
                title_before(s, p),
                title_after(s, p),
                title_label(s, p),
                title_as(s, p),
                led_by(s, p),
            ];
            let found: Vec<(String, Option<String>, usize, usize)> = found
                .into_iter()
                .flatten()
                .flat_map(|(t, of, lo, hi)| {
                    t.split(" and ")
                        .map(|x| (x.trim().to_string(), of.clone(), lo, hi))
                        .collect::<Vec<_>>()
                })
                .collect();
            for (title, of, lo, hi) in found {
                let of = of
                    .or_else(|| party_of(s, &title, s.items[p].span.start))
                    .or_else(|| own_of(e, &title));
                // A rank with no force named ("Sepoy Abdul Rauf" in a press
                // release) is a role without `of`; other titles need one.
                if of.is_none() && !is_rank(&title) {
                    continue;
                }
                if of.as_ref() == Some(&e.id) {
                    continue;
                }
                let key = (e.id.clone(), crate::segment::fold_phrase(&title));
                // "Secretary Rubio" after "Secretary of State Marco Rubio".
                if seen
                    .iter()
                    .any(|(p, t)| *p == key.0 && format!(" {t} ").contains(&format!(" {} ", key.1)))
                {
                    continue;
                }
                seen.push(key);
                let mut args = BTreeMap::new();
                args.insert("person".to_string(), Arg::Entity(e.id.clone()));
                args.insert("title".to_string(), Arg::Text(title));
                if let Some(of) = of {
                    args.insert("of".to_string(), Arg::Entity(of));
                }
                facts.push(Fact {
                    kind: "role".to_string(),
                    span: s.span(lo, hi),
                    sentence: si,
                    rule: rule.to_string(),
                    args,
                });
            }
        }
    }
}

/// An official's own country or organization (a person has none).
/// A minister, head of state or military rank holds it for the country
/// ("Home Minister", "Colonel"); other posts for their organization
/// ("Spokesperson" of the Foreign Office, "commander" of CENTCOM).
fn own_of(e: &Entity, title: &str) -> Option<String> {
    if e.etype != EntityType::Official {
        return None;
    }
    let get = |k: &str, prefix: &str| {
        e.attributes
            .get(k)
            .and_then(|c| c.as_str())
            .map(|c| qualify(c, prefix))
    };
    let t = crate::segment::fold_phrase(title);
    let national = t.split(' ').any(|w| COUNTRY_TITLES.contains(&w))
        || t.contains(" of ")
        || t.contains("wing commander")
        || t.contains("field marshal");
    if national {
        get("country", "place").or_else(|| get("organization", "org"))
    } else {
        get("organization", "org").or_else(|| get("country", "place"))
    }
}

/// Title words of posts held for a country rather than an organization.
const COUNTRY_TITLES: &[&str] = &[
    "minister",
    "president",
    "premier",
    "governor",
    "chancellor",
    "king",
    "ambassador",
    "colonel",
    "general",
    "marshal",
    "brigadier",
    "major",
    "captain",
    "lieutenant",
    "admiral",
    "emir",
    "leader",
    "superintendent",
    "inspector",
    "police",
];

/// `pk` -> `place:pk`; an id that has a prefix stays.
fn qualify(id: &str, prefix: &str) -> String {
    if id.contains(':') {
        id.to_string()
    } else {
        format!("{prefix}:{id}")
    }
}

/// A determiner or modifier a title drops ("the", "current"), also when
/// the date stage read it as a value ("the current CENTCOM commander").
fn title_drop(s: &Sent, i: usize) -> bool {
    s.is(i, TITLE_DROP)
        || (matches!(s.items.get(i).map(|x| x.k), Some(K::Val(_)))
            && TITLE_DROP.contains(&s.raw(i).to_lowercase().as_str()))
}

/// Where a title that starts at `a` ends, extending from `b`: its words
/// and hyphens, at most 8, stopping before an "of/for/at (the) X" that
/// names its organization or place.
fn title_end(s: &Sent, a: usize, mut b: usize, n: usize) -> usize {
    while b < n && (title_word(s, b) || s.is(b, &["-"])) && b < a + 8 {
        if s.is(b, &["of", "for", "at"])
            && of_entity(s, b + 1 + usize::from(s.is(b + 1, &["the"]))).is_some()
        {
            break;
        }
        b += 1;
    }
    b
}

/// "of X" / "at the X" right after a title that ends at `tb`: X, and where
/// the title's phrase ends (`tb` when there is none).
fn of_after_title(s: &Sent, tb: usize) -> (Option<String>, usize) {
    if s.is(tb, &["of", "at", "for"]) {
        let k = tb + 1 + usize::from(s.is(tb + 1, &["the"]));
        if let Some(o) = of_entity(s, k) {
            return (Some(o), k + 1);
        }
    }
    (None, tb)
}

/// Whether item `i` may be part of a title.
fn title_word(s: &Sent, i: usize) -> bool {
    (s.capitalized(i)
        && !s.is(
            i,
            &["the", "a", "an", "and", "in", "on", "at", "with", "by"],
        ))
        || s.is(i, TITLE_HEADS)
        || s.is(i, TITLE_WORDS)
}

/// The title in items `a..b` as written, if it holds a head word; drops
/// honorifics and leading determiners.
fn title_text(s: &Sent, mut a: usize, mut b: usize) -> Option<(String, usize, usize)> {
    while b > a && s.is(b - 1, HONORIFICS) {
        b -= 1;
    }
    while a < b
        && ((title_drop(s, a) && !s.is(a + 1, &["-"]))
            || s.is(a, HONORIFICS)
            || s.is(a, &["of", "for"]))
    {
        a += 1;
    }
    while b > a && s.is(b - 1, &["of", "for", "and", "-"]) {
        b -= 1;
    }
    // "Commander General Michael Kurilla": the rank after the post.
    if b > a + 1 && s.is(b - 1, &["general"]) && s.is(b - 2, &["commander", "chief"]) {
        b -= 1;
    }
    if b <= a || !(a..b).any(|k| s.is(k, TITLE_HEADS)) {
        return None;
    }
    // Abbreviations with a period ("Gen.") were dropped; a lone "General"
    // or "Lieutenant" before a name is a rank, kept only when full.
    Some((s.span(a, b).slice(s.text).to_string(), a, b))
}

/// The organization, group or place a title is "of", from `i` (an entity
/// item, possibly followed by "'s") or "its"/"their" (the last group named).
fn of_entity(s: &Sent, i: usize) -> Option<String> {
    let e = s.ent(i)?;
    // "the U.S. State Department": the organization the place modifies.
    if e.etype == EntityType::Place {
        if let Some(o) = s.ent(i + 1) {
            if matches!(o.etype, EntityType::Organization | EntityType::Group) {
                return Some(o.id.clone());
            }
        }
    }
    match e.etype {
        EntityType::Organization | EntityType::Group | EntityType::Place => Some(e.id.clone()),
        _ => None,
    }
}

/// "Home Minister Amit Shah", "al-Qaeda leader Ayman al-Zawahiri",
/// "Reasi's Senior Superintendent of Police, Mohita Sharma".
fn title_before(s: &Sent, p: usize) -> Option<(String, Option<String>, usize, usize)> {
    let mut b = p;
    while b > 0 && s.is(b - 1, HONORIFICS) && !s.is(b - 1, &["."]) {
        b -= 1;
    }
    if b > 0 && s.is(b - 1, &["."]) && b > 1 && s.is(b - 2, HONORIFICS) {
        b -= 2;
    }
    // An apposition: "TITLE, NAME".
    if b > 0 && s.is(b - 1, &[","]) {
        b -= 1;
    }
    // "the operational commander of IS-K, Mohammad Sharifullah".
    // "a spokesman for the Interior Ministry, X" too.
    let mut of_after = None;
    let link = if b < p && b >= 3 && s.is(b - 2, &["the"]) && s.is(b - 3, &["of", "for"]) {
        3
    } else if b < p && b >= 2 && s.is(b - 2, &["of", "for"]) {
        2
    } else {
        0
    };
    if link > 0 {
        if let Some(o) = of_entity(s, b - 1) {
            of_after = Some(o);
            b -= link;
        }
    }
    let mut a = b;
    // A hyphen inside the title joins it ("Secretary-General").
    let hyphen = |k: usize| {
        k >= 1
            && k + 1 < s.items.len()
            && s.is(k, &["-"])
            && s.items[k - 1].span.end == s.items[k].span.start
            && s.items[k].span.end == s.items[k + 1].span.start
            && title_word(s, k - 1)
    };
    while a > 0
        && (title_word(s, a - 1)
            || (a < b && hyphen(a - 1))
            || (a < b && s.is(a - 1, &["and"]) && a >= 2 && s.is(a - 2, TITLE_HEADS)))
        && a + 10 > b
    {
        a -= 1;
    }
    // "Inspector General of Police (Bastar range)": a parenthesis inside.
    let (t, ta, tb) = title_text(s, a, b).or_else(|| {
        if b > 0 && s.is(b - 1, &[")"]) {
            let open = (b.saturating_sub(8)..b).rev().find(|&k| s.is(k, &["("]))?;
            let mut a2 = open;
            while a2 > 0 && title_word(s, a2 - 1) {
                a2 -= 1;
            }
            title_text(s, a2, open)
        } else {
            None
        }
    })?;
    if b < p
        && !(s.is(ta.saturating_sub(1), &["the", "its", "their", "a", "an"])
            || ta == 0
            // "a Taliban-appointed ambassador, Bilal Karimi".
            || (ta >= 2
                && s.is(ta - 1, &["appointed", "backed", "led", "installed", "named"])
                && s.is(ta - 2, &["-"]))
            || s.ent(ta - 1).is_some()
            // "A top Lashkar-e-Taiba (LeT) commander, X": a body and its
            // bracketed abbreviation.
            || (ta >= 2 && s.is(ta - 1, &[")"]) && s.ent(ta - 2).is_some())
            || s.is(ta - 1, &["'s", "s", ","]))
    {
        // "TITLE, NAME" only after a determiner, a possessor or at a start.
        if !s.capitalized(ta) {
            return None;
        }
    }
    let mut of = of_after;
    let mut k = ta;
    if k > 0 && s.is(k - 1, &["’", "'"]) {
        k -= 1;
    }
    if k > 0 && s.is(k - 1, &["'s", "s"]) {
        k -= 1;
    }
    // "U.S. Central Command (Centcom) Commander": before the parenthesis.
    if k > 1 && s.is(k - 1, &[")"]) {
        if let Some(o) = (k.saturating_sub(6)..k - 1)
            .rev()
            .find(|&x| s.is(x, &["("]))
        {
            if o > 0 && of.is_none() {
                of = of_entity(s, o - 1);
            }
        }
    }
    if k > 0 && of.is_none() {
        of = of_entity(s, k - 1);
        if of.is_none() && s.is(k - 1, &["its", "their"]) {
            of = last_group_before(s, k - 1);
        }
        // "a Taliban-appointed ambassador", "the army-backed chief".
        if of.is_none()
            && k >= 3
            && s.is(
                k - 1,
                &["appointed", "backed", "led", "run", "installed", "named"],
            )
            && s.is(k - 2, &["-"])
        {
            of = of_entity(s, k - 3);
        }
    }
    // "(Bastar range)": a place inside the parenthesis.
    if of.is_none() && b > 0 && s.is(b - 1, &[")"]) {
        of = (tb..b).find_map(|k| of_entity(s, k));
    }
    Some((t, of, ta.min(k), p + 1))
}

/// "Steve Killelea, the IEP's executive chairman", "X, then commander of
/// U.S. Central Command", "X as acting prime minister".
fn title_after(s: &Sent, p: usize) -> Option<(String, Option<String>, usize, usize)> {
    let n = s.items.len();
    let mut i = p + 1;
    // "Gen. Michael Kurilla (CENTCOM)" is not a title.
    let as_form = s.is(i, &["as"]);
    if !s.is(i, &[","]) && !as_form {
        return None;
    }
    i += 1;
    let mut of = None;
    // Determiners and modifiers, possibly an entity's possessive.
    while i < n && title_drop(s, i) {
        i += 1;
    }
    if let Some(o) = of_entity(s, i) {
        let mut k = i + 1;
        if s.is(k, &["’", "'"]) {
            k += 1;
        }
        if s.is(k, &["'s", "s"]) {
            k += 1;
        }
        of = Some(o);
        i = k;
    }
    let a = i;
    let b = title_end(s, a, a, n);
    let (t, ta, tb) = title_text(s, a, b)?;
    // "of X" / "at the X" right after the title.
    let (o, hi) = of_after_title(s, tb);
    of = o.or(of);
    let _ = ta;
    // "X, External Affairs Minister Y and Z": a list, not an apposition.
    let mut k = hi;
    while s.is(k, HONORIFICS) {
        k += 1;
    }
    if s.ent(k)
        .is_some_and(|e| matches!(e.etype, EntityType::Official | EntityType::Person))
    {
        return None;
    }
    // The apposition must end there (comma, period, verb...), not run on
    // into a list of names.
    Some((t, of, p, hi))
}

/// Verbs after which "as TITLE" gives the subject's role ("was sworn in
/// for a third term as India's prime minister", "took over as chief").
const AS_VERBS: &[&str] = &[
    "sworn",
    "appointed",
    "reappointed",
    "named",
    "elected",
    "re-elected",
    "installed",
    "nominated",
    "chosen",
    "confirmed",
    "served",
    "serves",
    "serving",
    "took",
    "takes",
    "retained",
    "designated",
];

/// Verbs of description: "as TITLE" gives a role only for the person the
/// clause is about ("X, whom he described as a commander of LeT", "X was
/// described as ..."), never for the one who describes.
const DESCRIBE_VERBS: &[&str] = &["described", "called", "identified", "termed", "named"];

/// "X was sworn in for a third term as India's prime minister", "X, a
/// leader of the Haqqani network, as interior minister", "X, whom he
/// described as an A-grade commander of the Lashkar-e-Taiba".
fn title_as(s: &Sent, p: usize) -> Option<(String, Option<String>, usize, usize)> {
    let n = s.items.len();
    if s.is(p + 1, &["as"]) {
        return None; // title_after reads "X as TITLE"
    }
    let mut j = p + 1;
    let mut verb = false;
    let mut describe = false;
    let mut commas = 0;
    while j < n && j < p + 16 {
        if s.is(j, &[";", ".", ":", "\""]) {
            return None;
        }
        if s.is(j, &["known"]) && s.is(j + 1, &["as"]) {
            // "also known as Hashim Musa": a name, not a title.
            j += 2;
            while j < n && (s.ent(j).is_some() || s.capitalized(j)) {
                j += 1;
            }
            continue;
        }
        if let Some(e) = s.ent(j) {
            if matches!(e.etype, EntityType::Official | EntityType::Person) {
                return None;
            }
        }
        if s.is(j, &[","]) {
            commas += 1;
        }
        if s.is(j, AS_VERBS) {
            verb = true;
        }
        if s.is(j, DESCRIBE_VERBS)
            && (s.is(j - 1, &["was", "were", "is", "been", "being"])
                || (j >= p + 3 && s.is(j - 2, &["whom", "who"]) && s.is_pronoun(j - 1))
                || (j >= p + 3 && s.is(j - 2, &["whom"])))
        {
            describe = true;
        }
        if s.is(j, &["as"]) {
            break;
        }
        j += 1;
    }
    if !s.is(j, &["as"]) {
        return None;
    }
    // "X, a leader of the network, as interior minister": an apposition
    // closed right before "as".
    let apposition = s.is(p + 1, &[","]) && commas >= 2 && s.is(j - 1, &[","]);
    if !(verb || describe || apposition) {
        return None;
    }
    let mut i = j + 1;
    while i < n && title_drop(s, i) && !s.is(i + 1, &["-"]) {
        i += 1;
    }
    let mut of = None;
    if let Some(o) = of_entity(s, i) {
        let mut k = i + 1;
        if s.is(k, &["’", "'"]) {
            k += 1;
        }
        if s.is(k, &["'s", "s"]) {
            k += 1;
        } else if !s.raw(i).ends_with("’s") && !s.raw(i).ends_with("'s") {
            // "as India's prime minister" only; "as Pakistan's" above.
            k = i + 1;
        }
        of = Some(o);
        i = k;
    }
    let a = i;
    let mut b = a;
    // "an A-grade commander": a hyphenated modifier before the title.
    if s.is(a + 1, &["-"]) && s.w(a + 2).is_some() && !s.is(a + 2, &["-"]) {
        b = a + 3;
    }
    let b = title_end(s, a, b, n);
    let (t, _, tb) = title_text(s, a, b)?;
    let (o, hi) = of_after_title(s, tb);
    of = o.or(of);
    Some((t, of, p, hi))
}

/// "The Taliban leadership, led by Hibatullah Akhundzada": the leader of
/// the group or organization just before "led by".
fn led_by(s: &Sent, p: usize) -> Option<(String, Option<String>, usize, usize)> {
    if p < 3 || !s.is(p - 1, &["by"]) || !s.is(p - 2, &["led", "headed"]) {
        return None;
    }
    let mut k = p - 2;
    while k > 0 && k + 5 > p && s.is(k - 1, &[",", "leadership", "command", "the"]) {
        k -= 1;
    }
    let e = s.ent(k.checked_sub(1)?)?;
    if !matches!(e.etype, EntityType::Group | EntityType::Organization) {
        return None;
    }
    let title = if s.is(p - 2, &["led"]) {
        "leader"
    } else {
        "head"
    };
    Some((title.to_string(), Some(e.id.clone()), k - 1, p + 1))
}

/// A party title with no party named ("Party chief Maulana Fazlur
/// Rehman"): the last political party named before.
fn party_of(s: &Sent, title: &str, at: usize) -> Option<String> {
    if !crate::segment::fold_phrase(title)
        .split(' ')
        .any(|w| w == "party")
    {
        return None;
    }
    let mut best: Option<(usize, &str)> = None;
    for e in s.entities.iter().filter(|e| {
        matches!(e.etype, EntityType::Organization | EntityType::Group)
            && e.attributes.get("kind").and_then(|k| k.as_str()) == Some("political party")
    }) {
        for m in &e.mentions {
            if m.span.end <= at && best.is_none_or(|b| m.span.start > b.0) {
                best = Some((m.span.start, &e.id));
            }
        }
    }
    best.map(|b| b.1.to_string())
}

/// A transcript label: "SPOKESPERSON (Randhir Jaiswal, Ministry of External
/// Affairs):".
fn title_label(s: &Sent, p: usize) -> Option<(String, Option<String>, usize, usize)> {
    if p < 2 || !s.is(p - 1, &["("]) {
        return None;
    }
    let b = p - 1;
    let mut a = b;
    while a > 0 && title_word(s, a - 1) {
        a -= 1;
    }
    let (t, ta, _) = title_text(s, a, b)?;
    let mut of = None;
    if s.is(p + 1, &[","]) {
        of = of_entity(s, p + 2);
    }
    Some((t, of, ta, p + 1))
}

/// The last group or organization named before item `i` in the sentence,
/// else in the document before it ("Its chief, Bashir Zeb").
fn last_group_before(s: &Sent, i: usize) -> Option<String> {
    let at = s.items[i].span.start;
    for want in [EntityType::Group, EntityType::Organization] {
        let mut best: Option<(usize, &str)> = None;
        for e in s.entities.iter().filter(|e| e.etype == want) {
            for m in &e.mentions {
                if m.span.end <= at && best.is_none_or(|b| m.span.start > b.0) {
                    best = Some((m.span.start, &e.id));
                }
            }
        }
        if let Some(b) = best {
            return Some(b.1.to_string());
        }
    }
    None
}
