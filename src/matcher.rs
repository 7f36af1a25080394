//! Match: candidate entity mentions from the dictionaries (whole folded
//! tokens) and from patterns.
//!
//! # Dictionary matching
//!
//! Every dictionary phrase (names, aliases, abbreviations, demonyms, title
//! variants, generated city names) is folded with
//! [`crate::segment::fold_phrase`] and goes into **one** table of phrases and
//! their prefixes up to a space (the folded text has one space between
//! tokens, so a phrase that ends where a token does is the folded text from
//! its first token to that token). At each token start the tokens are
//! extended while they form such a prefix, and the longest phrase found is
//! tried first; a hit counts only when
//!
//! - it ends at a token's folded end (whole tokens only: "us" never matches
//!   inside "using");
//! - for case-sensitive claims (`abbreviations`, `demonyms`, title
//!   `variants`) the original text, tokens concatenated, equals the phrase
//!   ("US" matches "US", not "us"; "IS" not "is");
//! - for generated world cities (`city = [...]`) the original is capitalized
//!   exactly like the listed name ("Gwadar", never "gwadar");
//! - entries of kind `index` or `metric` ("Global Terrorism Index") are
//!   matched but give no entity.
//!
//! When the longest hit fails, shorter phrases starting at the same token
//! are tried. A possessive "’s" right after a hit joins the mention.
//!
//! # Patterns
//!
//! What no dictionary lists is found from context: titles before a name
//! ("Interior Minister Mohsin Naqvi" -> official), roles ("the operational
//! commander of IS-K, Mohammad Sharifullah" -> person), group naming
//! patterns ("Lashkar-e-Jhangvi", "... Liberation Army", "Islamic State
//! Somalia") and place contexts ("in Turbat (Kech, Balochistan)", "Kech
//! district", "the village of X", "X province"). Pattern candidates have
//! `known: false` and slug ids.
//!
//! # Priorities
//!
//! [`PRIO_CURATED`] > [`PRIO_GENERATED`] > [`PRIO_PATTERN`]; the resolver
//! prefers the longer span first, then the higher priority.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde_json::Value as Json;

use crate::document::Document;
use crate::layers::EntityType;
use crate::pipeline::{Example, Expect};
use crate::rules::{RuleError, RuleFile, RulePack};
use crate::segment::{fold_phrase, Segmentation, TokenKind};
use crate::span::Span;

/// Priority of curated dictionary entries.
pub const PRIO_CURATED: i32 = 30;
/// Priority of generated world-list entries (`city = [...]`).
pub const PRIO_GENERATED: i32 = 20;
/// Priority of pattern-found candidates.
pub const PRIO_PATTERN: i32 = 10;

/// A candidate mention, before overlaps are settled and mentions grouped.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub span: Span,
    pub etype: EntityType,
    /// Entity id: `group:ttp`.
    pub id: String,
    pub name: String,
    pub known: bool,
    pub rule: String,
    /// Higher wins when candidates overlap.
    pub priority: i32,
    /// What the dictionary (or the pattern) says about the entity: `title`,
    /// `country`, `kind`, `codes`... An official's title is the office held
    /// on the document date, else the latest.
    pub attributes: BTreeMap<String, Json>,
    /// True for a demonym ("Indian"), which refers to its country.
    pub demonym: bool,
    /// Matched text that is no entity (a title: "Prime Minister"): it only
    /// keeps its words from being reported as unknown names.
    pub blocker: bool,
}

/// One office of an official.
#[derive(Debug, Clone)]
struct Office {
    title: String,
    country: Option<String>,
    organization: Option<String>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
}

/// A dictionary entry (entity or title).
#[derive(Debug, Clone)]
struct Entry {
    id: String,
    etype: Option<EntityType>,
    name: String,
    rule: String,
    attributes: BTreeMap<String, Json>,
    offices: Vec<Office>,
    generated: bool,
    /// Titles: `kind` (civil, military...).
    #[allow(dead_code)]
    title_kind: String,
    /// Places: the country up the parent chain (`place:in`).
    country: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ClaimKind {
    /// Case-insensitive (folded) alias or name.
    Alias,
    /// Case-sensitive abbreviation or title variant.
    Exact,
    Demonym,
    /// Generated city: must be capitalized in the original.
    Capitalized,
}

#[derive(Debug, Clone)]
struct Claim {
    entry: u32,
    kind: ClaimKind,
    /// For case-sensitive claims: the phrase without whitespace.
    exact: Box<str>,
}

/// The compiled entity dictionaries and patterns.
#[derive(Debug, Default)]
pub struct EntityMatcher {
    /// Every phrase (-> its pattern id) and every prefix of one up to a
    /// space (-> `NO_PHRASE`).
    prefixes: HashMap<Box<str>, u32, crate::segment::BuildWordHasher>,
    /// Pattern id -> claims (best first).
    claims: Vec<Vec<Claim>>,
    entries: Vec<Entry>,
}

/// The entity tables, with their type.
const ENTITY_TABLES: &[(&str, EntityType)] = &[
    ("group", EntityType::Group),
    ("official", EntityType::Official),
    ("person", EntityType::Person),
    ("organization", EntityType::Organization),
    ("place", EntityType::Place),
];

const ENTRY_FIELDS: &[&str] = &[
    "id",
    "name",
    "aliases",
    "abbreviations",
    "demonyms",
    "variants",
    "examples",
    "kind",
    "country",
    "parent",
    "organization",
    "affiliation",
    "codes",
    "designated",
    "surname",
    "office",
    "role",
    "title",
    "note",
    "notes",
    "wikidata",
    "url",
    "source",
    "sources",
    "founded",
    "dissolved",
    "type",
];

impl EntityMatcher {
    /// The examples the pack's entries for this stage carry (run by
    /// `factsift check`).
    pub fn examples(pack: &RulePack) -> Vec<Example> {
        let mut out = Vec::new();
        for (table, etype) in ENTITY_TABLES {
            for (file, v) in pack.entries(table) {
                let Some(t) = v.as_table() else { continue };
                let Some(id) = t.get("id").and_then(|x| x.as_str()) else {
                    continue;
                };
                let Some(exs) = t.get("examples").and_then(|x| x.as_array()) else {
                    continue;
                };
                for ex in exs.iter().filter_map(|e| e.as_str()) {
                    out.push(Example {
                        file: file.path.clone(),
                        id: id.to_string(),
                        text: ex.to_string(),
                        date: None,
                        expect: Expect::Entity {
                            id: format!("{}:{}", etype.id_prefix(), id),
                        },
                    });
                }
            }
        }
        out
    }

    /// Builds the one automaton over every dictionary phrase; reports every
    /// bad entry (missing or empty id or name, a field of the wrong type, an
    /// alias claimed by two ids) as a [`RuleError`].
    pub fn compile(pack: &RulePack) -> Result<EntityMatcher, Vec<RuleError>> {
        let mut b = Builder::default();
        for (table, etype) in ENTITY_TABLES {
            for (file, v) in pack.entries(table) {
                b.entry(file, table, Some(*etype), v);
            }
        }
        for (file, v) in pack.entries("title") {
            b.entry(file, "title", None, v);
        }
        for (file, v) in pack.entries("city") {
            b.city(file, v);
        }
        if !b.errors.is_empty() {
            return Err(b.errors);
        }
        b.place_countries();
        let mut prefixes: HashMap<Box<str>, u32, crate::segment::BuildWordHasher> =
            HashMap::default();
        prefixes.reserve(2 * b.phrases.len());
        for (k, phrase) in b.phrases.iter().enumerate() {
            for (at, _) in phrase.match_indices(' ') {
                prefixes
                    .entry(Box::from(&phrase[..at]))
                    .or_insert(NO_PHRASE);
            }
            prefixes.insert(Box::from(phrase.as_str()), k as u32);
        }
        Ok(EntityMatcher {
            prefixes,
            claims: b.claims,
            entries: b.entries,
        })
    }

    /// Every candidate mention in the document.
    pub fn find(&self, doc: &Document, seg: &Segmentation) -> Vec<Candidate> {
        let mut out = Vec::new();
        let hits = self.dictionary_hits(doc, seg);
        let titled = self.titles_before(seg, &hits);
        // Only an entry's first candidate carries its attributes (the
        // resolver keeps them for the entity even if that candidate loses).
        let mut seen: std::collections::HashSet<u32, BuildIdHasher> =
            std::collections::HashSet::default();
        for (k, h) in hits.iter().enumerate() {
            let e = &self.entries[h.entry as usize];
            let Some(etype) = e.etype else {
                out.push(Candidate {
                    span: h.span,
                    etype: EntityType::Person,
                    id: e.id.clone(),
                    name: e.name.clone(),
                    known: true,
                    rule: e.rule.clone(),
                    priority: PRIO_CURATED,
                    attributes: BTreeMap::new(),
                    demonym: false,
                    blocker: true,
                });
                continue;
            };
            // `titled` is in hit order.
            let lo = titled.partition_point(|(at, _)| *at < k);
            let hi = titled.partition_point(|(at, _)| *at <= k);
            let titles_here = &titled[lo..hi];
            let first_titled = !titles_here.is_empty();
            // A dictionary hit as a candidate; a repeated mention with no
            // title of its own carries no attributes.
            let candidate = |attributes: BTreeMap<String, Json>| Candidate {
                span: h.span,
                etype,
                id: e.id.clone(),
                name: e.name.clone(),
                known: true,
                rule: e.rule.clone(),
                priority: if e.generated {
                    PRIO_GENERATED
                } else {
                    PRIO_CURATED
                },
                attributes,
                demonym: h.kind == ClaimKind::Demonym,
                blocker: false,
            };
            if !seen.insert(h.entry) && !first_titled {
                // An index keeps its kind on every mention: resolve drops
                // its mentions by it.
                let mut attributes = BTreeMap::new();
                if let Some(k) = e
                    .attributes
                    .get("kind")
                    .filter(|k| matches!(k.as_str(), Some("index" | "metric")))
                {
                    attributes.insert("kind".into(), k.clone());
                }
                out.push(candidate(attributes));
                continue;
            }
            let mut attributes = e.attributes.clone();
            if e.generated {
                attributes.insert("kind".into(), Json::String("city".into()));
                if let Some(c) = &e.country {
                    attributes.insert("country".into(), Json::String(c.clone()));
                }
            }
            if !e.offices.is_empty() {
                // The office the text names ("Secretary of State Marco
                // Rubio") when the official held it, else all offices.
                let named: Vec<Office> = titles_here
                    .iter()
                    .flat_map(|(_, t)| {
                        let want = crate::segment::fold(&self.entries[*t as usize].name);
                        e.offices
                            .iter()
                            .filter(move |o| crate::segment::fold(&o.title) == want)
                            .cloned()
                    })
                    .collect();
                let offices = if named.is_empty() { &e.offices } else { &named };
                office_attributes(offices, doc.date, &mut attributes);
            }
            out.push(candidate(attributes));
        }
        patterns::find(self, doc, seg, &hits, &mut out);
        out.sort_by(|a, b| {
            (a.span.start, std::cmp::Reverse(a.span.end), -a.priority).cmp(&(
                b.span.start,
                std::cmp::Reverse(b.span.end),
                -b.priority,
            ))
        });
        out
    }

    /// Dictionary hits (entities and titles), in text order, one per start
    /// token at most.
    fn dictionary_hits(&self, doc: &Document, seg: &Segmentation) -> Vec<Hit> {
        let mut hits = Vec::new();
        if self.prefixes.is_empty() {
            return hits;
        }
        let folded = seg.folded_text();
        let text = doc.text.as_str();
        let mut i = 0;
        while i < seg.tokens.len() {
            let tok = &seg.tokens[i];
            if tok.kind == TokenKind::Punct && seg.folded(i) != "-" {
                i += 1;
                continue;
            }
            match self.hit_at(folded, text, seg, i) {
                Some(h) => {
                    hits.push(h);
                    i = h.last + 1;
                    // A title does not hide an entity inside it: "DG ISPR"
                    // is a title and the organization ISPR.
                    if self.entry_is_title(h.entry).is_some() {
                        for k in h.first + 1..=h.last {
                            if let Some(inner) = self.hit_at(folded, text, seg, k) {
                                if self.entry_is_title(inner.entry).is_none() {
                                    hits.push(inner);
                                    i = inner.last + 1;
                                    break;
                                }
                            }
                        }
                    }
                }
                None => i += 1,
            }
        }
        self.choose_homonyms(text, seg, &mut hits);
        self.drop_unlikely_hits(text, seg, &mut hits);
        self.titles_defined_in_text(text, seg, &mut hits);
        // Possessive "’s" joins the mention.
        for h in &mut hits {
            let n = h.last + 1;
            if n < seg.tokens.len()
                && seg.tokens[n].span.start == h.span.end
                && seg.folded(n) == "'s"
            {
                h.span.end = seg.tokens[n].span.end;
            }
        }
        hits
    }

    /// The longest acceptable dictionary hit starting at token `i`.
    fn hit_at(&self, folded: &str, text: &str, seg: &Segmentation, i: usize) -> Option<Hit> {
        let start = seg.folded_range(i).start;
        // Phrases that end where a token does, shortest first: the folded
        // text from `start` to a token end, extended while it is a phrase
        // or a phrase's prefix (no longer phrase can match once it is not).
        let mut found: [(usize, u32); 8] = [(0, 0); 8];
        let mut more: Vec<(usize, u32)> = Vec::new();
        let mut n = 0;
        let mut cut = i;
        while cut < seg.tokens.len() {
            let Some(&p) = self.prefixes.get(&folded[start..seg.folded_range(cut).end]) else {
                break;
            };
            if p != NO_PHRASE {
                if n < found.len() {
                    found[n] = (cut, p);
                } else {
                    more.push((cut, p));
                }
                n += 1;
            }
            cut += 1;
        }
        // The longest first; shorter ones when it is not accepted.
        more.iter()
            .rev()
            .chain(found[..n.min(found.len())].iter().rev())
            .find_map(|&(cut, p)| self.accept(text, seg, i, cut, p as usize))
    }

    fn accept(
        &self,
        text: &str,
        seg: &Segmentation,
        first: usize,
        last: usize,
        pattern: usize,
    ) -> Option<Hit> {
        let span = Span::new(seg.tokens[first].span.start, seg.tokens[last].span.end);
        for c in self.claims.get(pattern)? {
            let ok = match c.kind {
                ClaimKind::Alias => true,
                ClaimKind::Exact | ClaimKind::Demonym => {
                    exact_equal(text, seg, first, last, &c.exact)
                }
                ClaimKind::Capitalized => same_capitals(
                    Span::new(seg.tokens[first].span.start, seg.tokens[last].span.end).slice(text),
                    &self.entries[c.entry as usize].name,
                ),
            };
            if ok {
                return Some(Hit {
                    span,
                    first,
                    last,
                    entry: c.entry,
                    kind: c.kind,
                    pattern: pattern as u32,
                });
            }
        }
        None
    }

    /// Drops hits that are part of something longer: a name glued to a
    /// hyphenated connector ("Dasht" in "Dasht-e-Barchi"), and a generated
    /// world city inside a run of capitalized words, which is a surname
    /// ("Ghulam Jeelani Wani", "SSP Baramulla Amod Ashok Nagpure").
    fn drop_unlikely_hits(&self, text: &str, seg: &Segmentation, hits: &mut Vec<Hit>) {
        let n = seg.tokens.len();
        let glued = |a: usize, b: usize| seg.tokens[a].span.end == seg.tokens[b].span.start;
        let connector = |k: usize| {
            matches!(
                seg.folded(k),
                "e" | "i" | "ul" | "ud" | "ur" | "us" | "ut" | "al" | "o"
            )
        };
        let mut covered = vec![false; n];
        for h in hits.iter() {
            for c in &mut covered[h.first..=h.last] {
                *c = true;
            }
        }
        let is_cap = |k: usize| {
            seg.tokens[k].kind == TokenKind::Word
                && seg.tokens[k]
                    .span
                    .slice(text)
                    .starts_with(char::is_uppercase)
                && !is_function_or_calendar_word(seg.folded(k))
        };
        let free_cap = |k: usize| k < n && is_cap(k) && !covered[k];
        hits.retain(|h| {
            let (a, b) = (h.first, h.last);
            // "Dasht-e-Barchi", "Zarb-e-Azb".
            let hyphen_after = b + 3 < n
                && seg.folded(b + 1) == "-"
                && connector(b + 2)
                && seg.folded(b + 3) == "-"
                && glued(b, b + 1)
                && glued(b + 1, b + 2)
                && glued(b + 2, b + 3);
            let hyphen_before = a >= 3
                && seg.folded(a - 1) == "-"
                && connector(a - 2)
                && seg.folded(a - 3) == "-"
                && glued(a - 1, a)
                && glued(a - 2, a - 1)
                && glued(a - 3, a - 2);
            if hyphen_after || hyphen_before {
                return false;
            }
            if h.kind != ClaimKind::Capitalized {
                return true;
            }
            let sentence = seg.tokens[a].sentence;
            let same = |k: usize| seg.tokens[k].sentence == sentence;
            let name_before = a >= 2
                && free_cap(a - 1)
                && same(a - 1)
                && same(a - 2)
                && seg.tokens[a - 2].kind == TokenKind::Word;
            let name_after = b + 2 < n && free_cap(b + 1) && free_cap(b + 2) && same(b + 2);
            !(name_before || name_after)
        });
    }

    /// A title whose abbreviation the text defines ("Senior Superintendent
    /// of Police (SSP)") owns that abbreviation in the document, even where
    /// the dictionary gives it to another entity (`group:ssp`).
    fn titles_defined_in_text(&self, text: &str, seg: &Segmentation, hits: &mut [Hit]) {
        let mut defined: Vec<(&str, u32)> = Vec::new();
        for (k, h) in hits.iter().enumerate() {
            if self.entry_is_title(h.entry).is_none() {
                continue;
            }
            let b = h.last;
            if b + 3 < seg.tokens.len() && seg.folded(b + 1) == "(" && seg.folded(b + 3) == ")" {
                if let Some(inner) = hits
                    .get(k + 1)
                    .filter(|i| i.first == b + 2 && i.last == b + 2)
                {
                    if self.entry_is_title(inner.entry).is_none() && inner.kind == ClaimKind::Exact
                    {
                        defined.push((seg.tokens[b + 2].span.slice(text), h.entry));
                    }
                }
            }
        }
        if defined.is_empty() {
            return;
        }
        for h in hits.iter_mut() {
            if h.kind != ClaimKind::Exact || h.first != h.last {
                continue;
            }
            let t = seg.tokens[h.first].span.slice(text);
            if let Some(&(_, title)) = defined.iter().find(|(d, _)| *d == t) {
                h.entry = title;
            }
        }
    }

    /// (hit index of an official, title entry) for every title right before
    /// an official: "Commander General Michael Kurilla", "Prime Minister of
    /// Pakistan Shehbaz Sharif".
    fn titles_before(&self, seg: &Segmentation, hits: &[Hit]) -> Vec<(usize, u32)> {
        let mut out = Vec::new();
        let mut k = 0;
        while k < hits.len() {
            if self.entry_is_title(hits[k].entry).is_none() {
                k += 1;
                continue;
            }
            let mut titles = vec![hits[k].entry];
            let mut j = k + 1;
            while j < hits.len()
                && hits[j].first == hits[j - 1].last + 1
                && self.entry_is_title(hits[j].entry).is_some()
            {
                titles.push(hits[j].entry);
                j += 1;
            }
            // "of Pakistan" between title and name.
            let mut next_tok = hits[j - 1].last + 1;
            if j < hits.len()
                && next_tok < seg.tokens.len()
                && seg.folded(next_tok) == "of"
                && hits[j].first == next_tok + 1
                && self.entries[hits[j].entry as usize].etype != Some(EntityType::Official)
            {
                next_tok = hits[j].last + 1;
                j += 1;
            }
            if j < hits.len() && hits[j].first == next_tok {
                let e = &self.entries[hits[j].entry as usize];
                if !e.offices.is_empty() {
                    out.extend(titles.iter().map(|t| (j, *t)));
                }
            }
            k = j.max(k + 1);
        }
        out
    }

    /// A form several entries share ("Punjab", "Hyderabad", "Ministry of
    /// Interior"): the claimant whose parent the document mentions most
    /// wins, then the one whose country it mentions most (a mention of
    /// "Kabul" or of an Afghan official counts for Afghanistan), else the
    /// first listed.
    fn choose_homonyms(&self, text: &str, seg: &Segmentation, hits: &mut [Hit]) {
        let ambiguous = |h: &Hit| {
            self.claims[h.pattern as usize]
                .iter()
                .filter(|c| c.kind != ClaimKind::Capitalized)
                .nth(1)
                .is_some()
        };
        if !hits.iter().any(ambiguous) {
            return;
        }
        // Entity id -> mentions of it or of something in it.
        let mut mentioned: HashMap<&str, usize> = HashMap::new();
        for h in hits.iter().filter(|h| !ambiguous(h)) {
            let e = &self.entries[h.entry as usize];
            *mentioned.entry(e.id.as_str()).or_default() += 1;
            let country = e
                .country
                .as_deref()
                .filter(|&c| c != e.id)
                .or_else(|| e.attributes.get("country").and_then(|v| v.as_str()));
            if let Some(c) = country {
                *mentioned.entry(c).or_default() += 1;
            }
        }
        let count = |id: Option<&str>| id.and_then(|id| mentioned.get(id)).copied().unwrap_or(0);
        for h in hits.iter_mut() {
            if !ambiguous(h) {
                continue;
            }
            let mut best: Option<(&Claim, (usize, usize))> = None;
            for c in &self.claims[h.pattern as usize] {
                let e = &self.entries[c.entry as usize];
                let passes = match c.kind {
                    ClaimKind::Exact | ClaimKind::Demonym => {
                        exact_equal(text, seg, h.first, h.last, &c.exact)
                    }
                    _ => true,
                };
                if !passes {
                    continue;
                }
                let parent = count(e.attributes.get("parent").and_then(|v| v.as_str()));
                let country = count(
                    e.attributes
                        .get("country")
                        .and_then(|v| v.as_str())
                        .or(e.country.as_deref()),
                );
                let score = (parent, country);
                if score > (0, 0) && best.is_none_or(|(_, s)| score > s) {
                    best = Some((c, score));
                }
            }
            if let Some((c, _)) = best {
                h.entry = c.entry;
                h.kind = c.kind;
            }
        }
    }

    fn entry_is_title(&self, entry: u32) -> Option<&Entry> {
        let e = &self.entries[entry as usize];
        e.etype.is_none().then_some(e)
    }
}

/// The value of a phrase prefix that is no phrase itself.
const NO_PHRASE: u32 = u32::MAX;

/// A multiplicative hasher for the per-document maps (entry indices, short
/// names), much cheaper than SipHash; the keys come from one document and
/// the rule pack, so flooding is no concern.
#[derive(Default, Clone, Copy)]
pub(crate) struct BuildIdHasher;

#[derive(Default)]
pub(crate) struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 =
                (self.0.rotate_left(5) ^ u64::from(*b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = u64::from(n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

impl std::hash::BuildHasher for BuildIdHasher {
    type Hasher = IdHasher;
    fn build_hasher(&self) -> IdHasher {
        IdHasher(0)
    }
}

/// Whether every word of `a` starts with a capital exactly where the same
/// word of `b` does ("Gwadar" = "Gwadar", "les Escaldes" = "les Escaldes",
/// "gwadar" != "Gwadar"); diacritics and the rest of each word may differ.
fn same_capitals(a: &str, b: &str) -> bool {
    fn initials(s: &str) -> impl Iterator<Item = bool> + '_ {
        let mut prev_alnum = false;
        s.chars().filter_map(move |c| {
            let alnum = c.is_alphanumeric();
            let start = alnum && !prev_alnum;
            prev_alnum = alnum || c == '\'' || c == '’';
            start.then(|| c.is_uppercase())
        })
    }
    initials(a).eq(initials(b))
}

/// Whether the original tokens `first..=last`, concatenated, equal `exact`.
fn exact_equal(text: &str, seg: &Segmentation, first: usize, last: usize, exact: &str) -> bool {
    let mut rest = exact;
    for t in first..=last {
        let s = seg.tokens[t].span.slice(text);
        match rest.strip_prefix(s) {
            Some(r) => rest = r,
            None => return false,
        }
    }
    rest.is_empty()
}

/// A dictionary hit.
#[derive(Debug, Clone, Copy)]
struct Hit {
    span: Span,
    first: usize,
    last: usize,
    entry: u32,
    kind: ClaimKind,
    pattern: u32,
}

fn office_attributes(
    offices: &[Office],
    date: Option<NaiveDate>,
    attrs: &mut BTreeMap<String, Json>,
) {
    let valid = date.and_then(|d| {
        offices
            .iter()
            .filter(|o| o.from.is_none_or(|f| f <= d) && o.to.is_none_or(|t| d <= t))
            .max_by_key(|o| o.from)
    });
    let chosen = valid.or_else(|| {
        offices
            .iter()
            .max_by_key(|o| (o.to.is_none(), o.from, o.to))
    });
    if let Some(o) = chosen {
        attrs.insert("title".into(), Json::String(o.title.clone()));
        if let Some(c) = &o.country {
            attrs.insert("country".into(), Json::String(format!("place:{c}")));
        }
        if let Some(c) = &o.organization {
            attrs.insert("organization".into(), Json::String(format!("org:{c}")));
        }
    }
}

/// A lowercase ASCII slug: runs of other characters become one `-`.
pub fn slug(s: &str) -> String {
    let folded = crate::segment::fold(s);
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[derive(Default)]
struct Builder {
    phrases: Vec<String>,
    claims: Vec<Vec<Claim>>,
    index: HashMap<String, u32, crate::segment::BuildWordHasher>,
    entries: Vec<Entry>,
    /// (table, local id) -> entry, for duplicates across layered packs.
    ids: HashMap<(String, String), u32>,
    errors: Vec<RuleError>,
}

impl Builder {
    fn entry(&mut self, file: &RuleFile, table: &str, etype: Option<EntityType>, v: &toml::Value) {
        let Some(t) = v.as_table() else {
            self.errors.push(file.error(
                None,
                Some(&format!("[[{table}]]")),
                "entry is not a table",
            ));
            return;
        };
        let id = match t.get("id").and_then(|x| x.as_str()) {
            Some(id) if !id.trim().is_empty() => id.to_string(),
            _ => {
                let needle = t.get("name").and_then(|x| x.as_str()).map(str::to_string);
                self.errors.push(file.error(
                    None,
                    needle.as_deref(),
                    format!("[[{table}]] entry without an `id`"),
                ));
                return;
            }
        };
        let mut ok = true;
        for key in t.keys() {
            if !ENTRY_FIELDS.contains(&key.as_str()) {
                self.errors.push(file.error(
                    Some(&id),
                    Some(&format!("{key} ")),
                    format!("unknown field `{key}`"),
                ));
                ok = false;
            }
        }
        let name = match t.get("name").and_then(|x| x.as_str()) {
            Some(n) if !fold_phrase(n).is_empty() => n.to_string(),
            _ => {
                self.errors
                    .push(file.error(Some(&id), Some("name"), "missing or empty `name`"));
                return;
            }
        };
        let lists = [
            "aliases",
            "abbreviations",
            "demonyms",
            "variants",
            "examples",
        ];
        let mut strings: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for key in lists {
            match t.get(key) {
                None => {}
                Some(toml::Value::Array(items)) => {
                    let mut got = Vec::new();
                    for it in items {
                        match it.as_str() {
                            Some(s) if !fold_phrase(s).is_empty() => got.push(s.to_string()),
                            _ => {
                                self.errors.push(file.error(
                                    Some(&id),
                                    Some(&format!("{key} ")),
                                    format!("`{key}` holds an empty or non-string item"),
                                ));
                                ok = false;
                            }
                        }
                    }
                    strings.insert(key, got);
                }
                Some(_) => {
                    self.errors.push(file.error(
                        Some(&id),
                        Some(&format!("{key} ")),
                        format!("`{key}` must be a list of strings"),
                    ));
                    ok = false;
                }
            }
        }
        let mut offices = Vec::new();
        if let Some(off) = t.get("office") {
            match off.as_array() {
                Some(items) => {
                    for o in items {
                        match parse_office(o) {
                            Ok(o) => offices.push(o),
                            Err(msg) => {
                                self.errors.push(file.error(Some(&id), Some("title"), msg));
                                ok = false;
                            }
                        }
                    }
                }
                None => {
                    self.errors.push(file.error(
                        Some(&id),
                        Some("office"),
                        "`office` must be [[...office]] tables",
                    ));
                    ok = false;
                }
            }
        }
        if !ok {
            return;
        }
        let mut attributes = BTreeMap::new();
        if let Some(etype) = etype {
            for key in [
                "kind",
                "codes",
                "designated",
                "role",
                "affiliation",
                "title",
                "surname",
            ] {
                if let Some(v) = t.get(key) {
                    if let Ok(j) = serde_json::to_value(v) {
                        attributes.insert(key.to_string(), j);
                    }
                }
            }
            if let Some(c) = t.get("country").and_then(|x| x.as_str()) {
                attributes.insert("country".into(), Json::String(format!("place:{c}")));
            }
            if let Some(c) = t.get("organization").and_then(|x| x.as_str()) {
                attributes.insert("organization".into(), Json::String(format!("org:{c}")));
            }
            if let Some(p) = t.get("parent").and_then(|x| x.as_str()) {
                let prefix = match etype {
                    EntityType::Official | EntityType::Person => "person",
                    other => other.id_prefix(),
                };
                attributes.insert("parent".into(), Json::String(format!("{prefix}:{p}")));
            }
            if let Some(ab) = strings.get("abbreviations") {
                if !ab.is_empty() {
                    attributes.insert(
                        "abbreviations".into(),
                        Json::Array(ab.iter().map(|s| Json::String(s.clone())).collect()),
                    );
                }
            }
        }
        let full_id = match etype {
            Some(et) => format!("{}:{}", et.id_prefix(), id),
            None => format!("title:{id}"),
        };
        let key = (table.to_string(), id.clone());
        let idx = match self.ids.get(&key) {
            // A later pack layer replaces the entry.
            Some(&i) => i,
            None => {
                let i = self.entries.len() as u32;
                self.entries.push(Entry {
                    id: String::new(),
                    etype,
                    name: String::new(),
                    rule: String::new(),
                    attributes: BTreeMap::new(),
                    offices: Vec::new(),
                    generated: false,
                    title_kind: String::new(),
                    country: None,
                });
                self.ids.insert(key, i);
                i
            }
        };
        self.entries[idx as usize] = Entry {
            id: full_id,
            etype,
            name: name.clone(),
            rule: file.rule_id(&id),
            attributes,
            offices,
            generated: false,
            country: None,
            title_kind: t
                .get("kind")
                .and_then(|x| x.as_str())
                .unwrap_or("")
                .to_string(),
        };
        let abbrevs = strings.remove("abbreviations").unwrap_or_default();
        // A name that is also an abbreviation is case-sensitive only; a
        // title's name is matched only through its variants and aliases.
        if etype.is_some() && !abbrevs.iter().any(|a| a == &name) {
            self.add(file, &id, idx, &name, ClaimKind::Alias);
        }
        for a in strings.remove("aliases").unwrap_or_default() {
            self.add(file, &id, idx, &a, ClaimKind::Alias);
        }
        for a in abbrevs {
            self.add(file, &id, idx, &a, ClaimKind::Exact);
        }
        for a in strings.remove("variants").unwrap_or_default() {
            self.add(file, &id, idx, &a, ClaimKind::Exact);
        }
        for a in strings.remove("demonyms").unwrap_or_default() {
            self.add(file, &id, idx, &a, ClaimKind::Demonym);
        }
        // Regions: "Central Asia" -> "Central Asian", unless claimed.
        if etype == Some(EntityType::Place)
            && t.get("kind").and_then(|k| k.as_str()) == Some("region")
        {
            let adj = ["Asia", "Africa", "America"]
                .iter()
                .find(|s| name.ends_with(*s))
                .map(|_| format!("{name}n"));
            if let Some(adj) = adj {
                if !self.index.contains_key(&fold_phrase(&adj)) {
                    self.add(file, &id, idx, &adj, ClaimKind::Demonym);
                }
            }
        }
    }

    /// A generated world city: `"Name"` or `{ name, country, id, aliases }`.
    fn city(&mut self, file: &RuleFile, v: &toml::Value) {
        let (name, country, id, aliases) = match v {
            toml::Value::String(s) => (s.clone(), None, None, Vec::new()),
            toml::Value::Table(t) => {
                let Some(name) = t.get("name").and_then(|x| x.as_str()) else {
                    self.errors
                        .push(file.error(None, Some("city"), "city entry without a `name`"));
                    return;
                };
                let country = t
                    .get("country")
                    .and_then(|x| x.as_str())
                    .map(|c| c.to_ascii_lowercase());
                let id = t.get("id").and_then(|x| x.as_str()).map(str::to_string);
                let aliases: Vec<String> = t
                    .get("aliases")
                    .and_then(|x| x.as_array())
                    .map(|a| {
                        a.iter()
                            .filter_map(|s| s.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default();
                (name.to_string(), country, id, aliases)
            }
            _ => {
                self.errors.push(file.error(
                    None,
                    Some("city"),
                    "city entries are strings or tables",
                ));
                return;
            }
        };
        if name.trim().is_empty() {
            self.errors
                .push(file.error(None, Some("city"), "city with an empty name"));
            return;
        }
        let local = id.unwrap_or_else(|| match &country {
            Some(c) => format!("{c}-{}", slug(&name)),
            None => slug(&name),
        });
        // Attributes are made when the city is found (tens of thousands of
        // cities, a few per document).
        let attributes = BTreeMap::new();
        let idx = self.entries.len() as u32;
        self.entries.push(Entry {
            id: format!("place:{local}"),
            etype: Some(EntityType::Place),
            name: name.clone(),
            rule: file.rule_id(&local),
            attributes,
            offices: Vec::new(),
            generated: true,
            title_kind: String::new(),
            country: country.as_ref().map(|c| format!("place:{c}")),
        });
        for n in std::iter::once(name).chain(aliases) {
            self.add_generated(idx, &n);
        }
    }

    /// Follows `parent` links up to a country for every curated place.
    fn place_countries(&mut self) {
        let by_id: HashMap<&str, usize> = self
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| !e.generated)
            .map(|(i, e)| (e.id.as_str(), i))
            .collect();
        let mut found = Vec::new();
        for (i, e) in self.entries.iter().enumerate() {
            if e.etype != Some(EntityType::Place) || e.generated {
                continue;
            }
            let mut cur = i;
            let mut country = None;
            for _ in 0..8 {
                let c = &self.entries[cur];
                if c.attributes.get("kind").and_then(|k| k.as_str()) == Some("country") {
                    country = Some(c.id.clone());
                    break;
                }
                match c
                    .attributes
                    .get("parent")
                    .and_then(|p| p.as_str())
                    .and_then(|p| by_id.get(p))
                {
                    Some(&p) => cur = p,
                    None => break,
                }
            }
            found.push((i, country));
        }
        for (i, c) in found {
            self.entries[i].country = c;
        }
    }

    fn add_generated(&mut self, entry: u32, phrase: &str) {
        let folded = fast_fold_phrase(phrase);
        if folded.is_empty() {
            return;
        }
        let claim = Claim {
            entry,
            kind: ClaimKind::Capitalized,
            exact: Box::from(""),
        };
        match self.index.get(&folded) {
            // Curated entries and earlier generated names win.
            Some(_) => {}
            None => {
                self.index.insert(folded.clone(), self.phrases.len() as u32);
                self.phrases.push(folded);
                self.claims.push(vec![claim]);
            }
        }
    }

    fn add(&mut self, file: &RuleFile, id: &str, entry: u32, phrase: &str, kind: ClaimKind) {
        let folded = fold_phrase(phrase);
        let exact: Box<str> = match kind {
            ClaimKind::Exact | ClaimKind::Demonym => {
                phrase.chars().filter(|c| !c.is_whitespace()).collect()
            }
            _ => Box::from(""),
        };
        let claim = Claim { entry, kind, exact };
        let p = match self.index.get(&folded) {
            Some(&p) => p as usize,
            None => {
                self.index.insert(folded.clone(), self.phrases.len() as u32);
                self.phrases.push(folded);
                self.claims.push(vec![claim]);
                return;
            }
        };
        let is_title = self.entries[entry as usize].etype.is_none();
        let mut list = std::mem::take(&mut self.claims[p]);
        // Generated claims give way to curated ones.
        list.retain(|c| c.kind != ClaimKind::Capitalized);
        let mut conflict = None;
        for c in &list {
            let other = &self.entries[c.entry as usize];
            let other_title = other.etype.is_none();
            if c.entry == entry {
                continue;
            }
            // Titles and entities live side by side ("General" the title,
            // a place that shares a word); so do case-sensitive and
            // case-insensitive claims that cannot both match the same text.
            if other_title != is_title {
                continue;
            }
            let same_text = match (c.kind, kind) {
                (ClaimKind::Alias, _) | (_, ClaimKind::Alias) => true,
                _ => c.exact == claim.exact,
            };
            // Homonymous places in different parents ("Punjab" in Pakistan
            // and India), and bodies of different countries ("the Interior
            // Ministry" of Pakistan and of Afghanistan), are allowed: the
            // document's context picks one.
            let this = &self.entries[entry as usize];
            let differ = |key: &str| {
                other.attributes.contains_key(key)
                    && this.attributes.contains_key(key)
                    && other.attributes.get(key) != this.attributes.get(key)
            };
            let homonyms = other.etype == this.etype
                && match this.etype {
                    Some(EntityType::Place) => {
                        other.attributes.get("parent") != this.attributes.get("parent")
                    }
                    Some(EntityType::Organization) => differ("country"),
                    _ => false,
                };
            if same_text && !homonyms {
                conflict = Some(other.id.clone());
            }
        }
        if let Some(other) = conflict {
            self.errors.push(file.error(
                Some(id),
                Some(&format!("\"{phrase}\"")),
                format!("\"{phrase}\" is already claimed by {other}"),
            ));
        } else if !list
            .iter()
            .any(|c| c.entry == entry && c.kind == kind && c.exact == claim.exact)
        {
            // Exact claims before aliases: the stricter check first.
            if kind == ClaimKind::Alias {
                list.push(claim);
            } else {
                list.insert(0, claim);
            }
        }
        self.claims[p] = list;
    }
}

fn parse_office(v: &toml::Value) -> Result<Office, String> {
    let t = v.as_table().ok_or("an office must be a table")?;
    let title = t
        .get("title")
        .and_then(|x| x.as_str())
        .filter(|s| !s.trim().is_empty())
        .ok_or("office without a `title`")?
        .to_string();
    let date = |key: &str| -> Result<Option<NaiveDate>, String> {
        match t.get(key) {
            None => Ok(None),
            Some(toml::Value::String(s)) => parse_partial_date(s)
                .map(Some)
                .ok_or_else(|| format!("office `{key}` is not a date: {s:?}")),
            Some(toml::Value::Datetime(d)) => parse_partial_date(&d.to_string())
                .map(Some)
                .ok_or_else(|| format!("office `{key}` is not a date")),
            Some(_) => Err(format!("office `{key}` must be a date string")),
        }
    };
    Ok(Office {
        title,
        country: t
            .get("country")
            .and_then(|x| x.as_str())
            .map(str::to_string),
        organization: t
            .get("organization")
            .and_then(|x| x.as_str())
            .map(str::to_string),
        from: date("from")?,
        to: date("to")?,
    })
}

/// [`fold_phrase`], with a fast path for plain ASCII words separated by
/// single spaces (most generated city names), which tokenize to themselves.
fn fast_fold_phrase(phrase: &str) -> String {
    let plain = !phrase.is_empty()
        && phrase.bytes().all(|b| b.is_ascii_alphabetic() || b == b' ')
        && !phrase.starts_with(' ')
        && !phrase.ends_with(' ')
        && !phrase.contains("  ");
    if plain {
        phrase.to_ascii_lowercase()
    } else {
        fold_phrase(phrase)
    }
}

/// `2024-03-04`, `2024-03` or `2024`.
fn parse_partial_date(s: &str) -> Option<NaiveDate> {
    let parts: Vec<&str> = s.trim().split('-').collect();
    let y: i32 = parts.first()?.parse().ok()?;
    let m: u32 = parts.get(1).map_or(Some(1), |m| m.parse().ok())?;
    let d: u32 = parts.get(2).map_or(Some(1), |d| d.parse().ok())?;
    NaiveDate::from_ymd_opt(y, m, d)
}

mod patterns;

/// Function words, months and weekdays (folded): capitalized at a sentence's
/// start or in a date, they never name an entity. Shared by the name patterns
/// and the unknown-name diagnostics.
pub(crate) fn is_function_or_calendar_word(w: &str) -> bool {
    matches!(
        w,
        "the"
            | "a"
            | "an"
            | "and"
            | "or"
            | "of"
            | "in"
            | "on"
            | "at"
            | "to"
            | "for"
            | "by"
            | "with"
            | "from"
            | "he"
            | "she"
            | "it"
            | "they"
            | "we"
            | "i"
            | "his"
            | "her"
            | "its"
            | "their"
            | "this"
            | "that"
            | "these"
            | "those"
            | "but"
            | "as"
            | "if"
            | "when"
            | "while"
            | "after"
            | "before"
            | "since"
            | "january"
            | "february"
            | "march"
            | "april"
            | "may"
            | "june"
            | "july"
            | "august"
            | "september"
            | "october"
            | "november"
            | "december"
            | "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
    )
}
