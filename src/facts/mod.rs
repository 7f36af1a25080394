//! Facts: claims from the fact patterns in `rules/facts.toml`, each with its
//! evidence span, its arguments (entity ids, value indices, strings) and the
//! rule that made it.
//!
//! Each sentence becomes a sequence of *items*: an entity mention, a value, a
//! quoted span, or a token (its folded form and stem looked up once in the
//! patterns' vocabulary). Every `[[fact]]` pattern (see [`pattern`] for the
//! language) runs over those items; slots bind items, and the rule's `args`
//! table maps slot names to fact arguments. A fact that binds no `time` (or
//! `place`) takes the sentence's single date (or single place) when it has
//! exactly one. Officials with a `title` attribute whose mention follows (or is
//! apposed with) that title give `role` facts.

pub mod claims;
pub mod pattern;

use std::collections::{BTreeMap, HashMap};

/// Prepositions that locate an event at a place.
const LOCATIVES: &[&str] = &["in", "at", "near", "outside", "inside", "within", "on"];

/// Words between a locative and its place ("in the general area of").
const AREA_WORDS: &[&str] = &[
    "the",
    "general",
    "area",
    "areas",
    "of",
    "outskirts",
    "vicinity",
    "village",
    "town",
];

/// Kinds of events that have their own time and place. Their sentence-level
/// place must be stated with a locative ("talks in Islamabad"): the subject
/// of such a sentence ("Pakistan reaffirmed ... when ... had a phone call") is
/// a party, not the place. And a date or place bound by another fact of the
/// same kind in the sentence belongs to that fact, not to the sentence (two
/// meetings in one sentence keep their own times), while facts of other kinds
/// (several counts in one sentence) share them.
const LOCATED_KINDS: &[&str] = &["meeting", "statement", "cooperation", "training"];

/// Kinds whose overlapping facts of different patterns pool their
/// arguments (each pattern may have read a part of one event).
const MERGE_KINDS: &[&str] = &["attack", "kill", "arrest", "training"];

/// Arguments that the contract (DESIGN.md) defines as lists.
const LIST_ARGS: &[&str] = &["participants", "parties"];

use rust_stemmers::{Algorithm, Stemmer};
use serde_json::Value as Json;

use crate::document::Document;
use crate::layers::{Arg, Entity, EntityType, Fact, Value, ValueType};
use crate::pipeline::{Example, Expect};
use crate::rules::{RuleError, RuleFile, RulePack};
use crate::segment::{BuildWordHasher, Segmentation, TokenKind};
use crate::span::Span;

use pattern::{Inst, Pattern, SlotType, Vocab};

/// Fact kinds that take the sentence's single date as `time`.
const TIME_KINDS: &[&str] = &[
    "count",
    "metric",
    "meeting",
    "attack",
    "arrest",
    "kill",
    "training",
    "statement",
    "cooperation",
];
/// Fact kinds that take the sentence's single place as `place`.
const PLACE_KINDS: &[&str] = &["count", "meeting", "attack", "arrest", "kill"];
/// Every kind the DESIGN names (others are allowed: kinds are additive).
const KNOWN_KINDS: &[&str] = &[
    "count",
    "metric",
    "meeting",
    "attack",
    "arrest",
    "kill",
    "training",
    "statement",
    "role",
    "cooperation",
];

/// Budget of backtracking steps for one start position.
const STEP_BUDGET: u32 = 20_000;

/// How an argument is filled.
#[derive(Debug, Clone)]
enum ArgSource {
    /// From slots with these names (several bindings make a list).
    Slots(Vec<String>),
    /// A constant string.
    Const(String),
}

#[derive(Debug)]
struct Rule {
    /// `rules/facts.toml#place-count-year`.
    rule: String,
    kind: String,
    patterns: Vec<Pattern>,
    args: Vec<(String, ArgSource)>,
    /// Whether to fill `time`/`place` from the sentence.
    fill: bool,
    /// `join = N`: the rule's facts complete a fact of the same kind (of
    /// another rule) in the same sentence or up to N sentences before,
    /// instead of standing alone ("Eight soldiers were killed." after the
    /// attack's sentence; "Responsibility was claimed by the BLA.").
    join: Option<usize>,
    /// With `join`: whether a fact that finds nothing to join stands alone.
    alone: bool,
}

/// A rule that makes role facts from officials' `title` attributes.
#[derive(Debug)]
struct RoleRule {
    rule: String,
}

/// The compiled fact patterns.
#[derive(Debug, Default)]
pub struct FactRules {
    rules: Vec<Rule>,
    roles: Option<RoleRule>,
    /// `from = "attribution"`: statements found by [`claims::claims`].
    attribution: Option<String>,
    vocab: Vocab,
    starts: Starts,
    /// Keys this rule set's entries in the per-thread token cache.
    id: u64,
}

/// Which patterns an item can start, so that a sentence only runs the
/// patterns its items can start, from those items (the patterns are
/// numbered in rule order; `flat` maps a number to rule and pattern).
#[derive(Debug, Default)]
struct Starts {
    flat: Vec<(usize, usize)>,
    /// Vocabulary id -> patterns a token with that id can start.
    by_word: Vec<Vec<u32>>,
    /// Type bit ([`SlotType::mask`]) -> patterns an item of that type can start.
    by_type: Vec<Vec<u32>>,
    /// Patterns a capitalized word can start (`{name}` first).
    caps: Vec<u32>,
    /// Patterns any item can start.
    any: Vec<u32>,
    /// Vocabulary id -> the patterns whose trigger group (the required
    /// word group of likely rarest words: longest shortest word) holds it,
    /// so a sentence's prefilter costs its rare words' postings rather than
    /// every pattern's word lists; a triggered pattern then checks all its
    /// groups.
    trig_post: Vec<Vec<u32>>,
    /// Patterns without required words: checked in every sentence.
    free: Vec<u32>,
}

impl Starts {
    fn build(rules: &[Rule], vocab: &mut Vocab) -> Starts {
        let the = vocab.intern("the");
        let dets: Vec<u32> = DETERMINERS.iter().map(|d| vocab.intern(d)).collect();
        let mut st = Starts {
            by_type: vec![Vec::new(); 14],
            ..Starts::default()
        };
        let mut words: Vec<(u32, u32)> = Vec::new();
        for (ri, rule) in rules.iter().enumerate() {
            for (pi, p) in rule.patterns.iter().enumerate() {
                let g = st.flat.len() as u32;
                st.flat.push((ri, pi));
                let Some(first) = &p.first else {
                    st.any.push(g);
                    continue;
                };
                let mut type_bits = 0u32;
                for inst in first {
                    match inst {
                        Inst::Word(ids) => words.extend(ids.iter().map(|&id| (id, g))),
                        Inst::Slot(s) => {
                            let slot = &p.slots[*s];
                            if slot.types.is_empty() {
                                st.any.push(g);
                            }
                            for t in &slot.types {
                                match t {
                                    SlotType::Text => st.any.push(g),
                                    SlotType::Name => {
                                        st.caps.push(g);
                                        type_bits |= SlotType::Entity(None).mask();
                                        words.extend(dets.iter().map(|&id| (id, g)));
                                    }
                                    SlotType::Entity(_) => {
                                        type_bits |= t.mask();
                                        words.push((the, g));
                                    }
                                    t => type_bits |= t.mask(),
                                }
                            }
                        }
                        _ => st.any.push(g),
                    }
                }
                for (bit, list) in st.by_type.iter_mut().enumerate() {
                    if type_bits & (1 << bit) != 0 {
                        list.push(g);
                    }
                }
            }
        }
        st.by_word = vec![Vec::new(); vocab.len()];
        for (id, g) in words {
            st.by_word[id as usize].push(g);
        }
        let words = vocab.words();
        st.trig_post = vec![Vec::new(); vocab.len()];
        for (g, &(ri, pi)) in st.flat.iter().enumerate() {
            let groups = &rules[ri].patterns[pi].required_words;
            let score = |ids: &Vec<u32>| {
                let shortest = ids.iter().map(|&id| words[id as usize].len()).min();
                (shortest.unwrap_or(0), std::cmp::Reverse(ids.len()))
            };
            // The first of the best-scoring groups.
            let trigger = groups.iter().rev().max_by_key(|ids| score(ids));
            match trigger {
                Some(ids) => {
                    for &id in ids {
                        st.trig_post[id as usize].push(g as u32);
                    }
                }
                None => st.free.push(g as u32),
            }
        }
        for l in &mut st.trig_post {
            l.sort_unstable();
            l.dedup();
        }
        for l in st
            .by_word
            .iter_mut()
            .chain(st.by_type.iter_mut())
            .chain([&mut st.caps, &mut st.any])
        {
            l.sort_unstable();
            l.dedup();
        }
        st
    }
}

fn toml_to_json(v: &toml::Value) -> Json {
    match v {
        toml::Value::String(s) => Json::String(s.clone()),
        toml::Value::Integer(i) => Json::from(*i),
        toml::Value::Float(f) => serde_json::Number::from_f64(*f)
            .map(Json::Number)
            .unwrap_or(Json::Null),
        toml::Value::Boolean(b) => Json::Bool(*b),
        toml::Value::Array(a) => Json::Array(a.iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => Json::Object(
            t.iter()
                .map(|(k, v)| (k.clone(), toml_to_json(v)))
                .collect(),
        ),
        toml::Value::Datetime(d) => Json::String(d.to_string()),
    }
}

/// The latest entry for each id (a later file wins), in first-seen order.
fn fact_entries(pack: &RulePack) -> Vec<(&RuleFile, &toml::Table, String)> {
    let mut out: Vec<(&RuleFile, &toml::Table, String)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (file, v) in pack.entries("fact") {
        let Some(t) = v.as_table() else { continue };
        let id = t
            .get("id")
            .and_then(|i| i.as_str())
            .unwrap_or("")
            .to_string();
        match index.get(&id) {
            Some(&i) if !id.is_empty() => out[i] = (file, t, id),
            _ => {
                index.insert(id.clone(), out.len());
                out.push((file, t, id));
            }
        }
    }
    out
}

/// `src` with every `@name` replaced by `(pattern of part name)`.
fn expand_parts(src: &str, parts: &HashMap<String, String>) -> Result<String, String> {
    let mut out = src.to_string();
    for _ in 0..16 {
        let Some(at) = out.find('@') else {
            return Ok(out);
        };
        let end = out[at + 1..]
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .map_or(out.len(), |e| at + 1 + e);
        let name = &out[at + 1..end];
        let Some(body) = parts.get(name) else {
            return Err(format!("`@{name}` names no `kind = \"part\"` entry"));
        };
        out = format!("{}({}){}", &out[..at], body, &out[end..]);
    }
    if out.contains('@') {
        Err("too many `@` parts (at most 16 expansions)".into())
    } else {
        Ok(out)
    }
}

/// Where pattern `src` of entry `id` sits in `file`, to place a caret.
fn pattern_offset(file: &RuleFile, id: &str, src: &str) -> Option<usize> {
    let id_at = file
        .text
        .find(&format!("\"{id}\""))
        .or_else(|| file.text.find(&format!("'{id}'")))
        .unwrap_or(0);
    file.text[id_at..].find(src).map(|p| id_at + p)
}

impl FactRules {
    /// The examples the pack's entries for this stage carry (run by
    /// `factsift check`).
    pub fn examples(pack: &RulePack) -> Vec<Example> {
        let mut out = Vec::new();
        for (file, t, id) in fact_entries(pack) {
            let kind = t.get("kind").and_then(|k| k.as_str()).unwrap_or("");
            let Some(toml::Value::Array(exs)) = t.get("examples") else {
                continue;
            };
            for ex in exs {
                let Some(ex) = ex.as_table() else { continue };
                let Some(text) = ex.get("text").and_then(|t| t.as_str()) else {
                    continue;
                };
                let date = ex
                    .get("date")
                    .and_then(|d| d.as_str())
                    .and_then(|d| crate::document::parse_date(d).ok());
                let args = match ex.get("args") {
                    Some(toml::Value::Table(a)) => a
                        .iter()
                        .map(|(k, v)| (k.clone(), toml_to_json(v)))
                        .collect(),
                    _ => Vec::new(),
                };
                out.push(Example {
                    file: file.path.clone(),
                    id: id.clone(),
                    text: text.to_string(),
                    date,
                    expect: Expect::Fact {
                        kind: kind.to_string(),
                        args,
                    },
                });
            }
        }
        out
    }

    pub fn compile(pack: &RulePack) -> Result<FactRules, Vec<RuleError>> {
        let stemmer = Stemmer::create(Algorithm::English);
        let mut vocab = Vocab::default();
        let mut rules = Vec::new();
        let mut roles = None;
        let mut attribution = None;
        let mut errors = Vec::new();
        // `kind = "part"`: a named piece of pattern that others use as `@id`.
        let parts: HashMap<String, String> = fact_entries(pack)
            .into_iter()
            .filter(|(_, t, _)| t.get("kind").and_then(|k| k.as_str()) == Some("part"))
            .filter_map(|(_, t, id)| {
                let p = t.get("pattern").and_then(|p| p.as_str())?;
                Some((id, p.to_string()))
            })
            .collect();
        for (file, t, id) in fact_entries(pack) {
            if t.get("kind").and_then(|k| k.as_str()) == Some("part") {
                continue;
            }
            let before = errors.len();
            if id.is_empty() {
                errors.push(file.error(None, Some("[[fact]]"), "a fact rule needs an `id`"));
                continue;
            }
            let idr = Some(id.as_str());
            for key in t.keys() {
                if !matches!(
                    key.as_str(),
                    "id" | "kind"
                        | "pattern"
                        | "patterns"
                        | "args"
                        | "set"
                        | "examples"
                        | "fill"
                        | "join"
                        | "alone"
                        | "from"
                        | "note"
                ) {
                    errors.push(file.error(
                        idr,
                        Some(key),
                        format!(
                            "unknown key `{key}` (expected id, kind, pattern, patterns, args, \
                             set, fill, join, alone, from, examples, note)"
                        ),
                    ));
                }
            }
            let kind = match t.get("kind").and_then(|k| k.as_str()) {
                Some(k) if !k.is_empty() => k.to_string(),
                _ => {
                    errors.push(file.error(idr, None, "a fact rule needs a `kind`"));
                    continue;
                }
            };
            if !KNOWN_KINDS.contains(&kind.as_str())
                && !kind.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            {
                errors.push(file.error(idr, Some(&kind), format!("bad kind `{kind}`")));
            }
            if let Some(from) = t.get("from") {
                if from.as_str() == Some("title") && kind == "role" {
                    roles = Some(RoleRule {
                        rule: file.rule_id(&id),
                    });
                } else if from.as_str() == Some("attribution") && kind == "statement" {
                    attribution = Some(file.rule_id(&id));
                } else {
                    errors.push(file.error(
                        idr,
                        Some("from"),
                        "`from` takes \"title\" (kind = \"role\") or \"attribution\" \
                         (kind = \"statement\")",
                    ));
                }
                continue;
            }
            let mut sources: Vec<&str> = Vec::new();
            match t.get("pattern") {
                Some(toml::Value::String(s)) => sources.push(s),
                Some(_) => errors.push(file.error(idr, Some("pattern"), "`pattern` is a string")),
                None => {}
            }
            match t.get("patterns") {
                Some(toml::Value::Array(a)) => {
                    for p in a {
                        match p.as_str() {
                            Some(s) => sources.push(s),
                            None => errors.push(file.error(
                                idr,
                                Some("patterns"),
                                "`patterns` is a list of strings",
                            )),
                        }
                    }
                }
                Some(_) => errors.push(file.error(
                    idr,
                    Some("patterns"),
                    "`patterns` is a list of strings",
                )),
                None => {}
            }
            if sources.is_empty() {
                errors.push(file.error(idr, None, "a fact rule needs `pattern` or `patterns`"));
                continue;
            }
            let mut patterns = Vec::new();
            for src in sources {
                let expanded = match expand_parts(src, &parts) {
                    Ok(e) => e,
                    Err(m) => {
                        errors.push(file.error(idr, Some(src), m));
                        continue;
                    }
                };
                match pattern::compile(&expanded, &mut vocab, &stemmer) {
                    Ok(p) => patterns.push(p),
                    Err(e) => {
                        let err = match pattern_offset(file, &id, src) {
                            Some(at) => RuleError::at_byte(
                                &file.path,
                                &file.text,
                                at + e.at,
                                Some(id.clone()),
                                format!("bad pattern: {}", e.message),
                            ),
                            None => {
                                file.error(idr, Some(src), format!("bad pattern: {}", e.message))
                            }
                        };
                        errors.push(err);
                    }
                }
            }
            let slot_names: Vec<&str> = patterns
                .iter()
                .flat_map(|p| p.slots.iter().map(|s| s.name.as_str()))
                .collect();
            let mut args = Vec::new();
            match t.get("args") {
                Some(toml::Value::Table(a)) => {
                    for (arg, v) in a {
                        let names: Vec<String> = match v {
                            toml::Value::String(s) => vec![s.clone()],
                            toml::Value::Array(items) => items
                                .iter()
                                .filter_map(|i| i.as_str().map(str::to_string))
                                .collect(),
                            _ => Vec::new(),
                        };
                        if names.is_empty() {
                            errors.push(file.error(
                                idr,
                                Some(arg),
                                format!("arg `{arg}` names a slot or a list of slots"),
                            ));
                        }
                        for n in &names {
                            if !slot_names.is_empty() && !slot_names.contains(&n.as_str()) {
                                errors.push(file.error(
                                    idr,
                                    Some(&format!("\"{n}\"")),
                                    format!(
                                        "arg `{arg}` names slot `{n}`, which no pattern has \
                                         (slots: {})",
                                        slot_names.join(", ")
                                    ),
                                ));
                            }
                        }
                        args.push((arg.clone(), ArgSource::Slots(names)));
                    }
                }
                Some(_) => errors.push(file.error(idr, Some("args"), "`args` is a table")),
                None => {
                    let mut seen: Vec<&str> = Vec::new();
                    for n in &slot_names {
                        if !seen.contains(n) {
                            seen.push(n);
                            args.push((n.to_string(), ArgSource::Slots(vec![n.to_string()])));
                        }
                    }
                }
            }
            match t.get("set") {
                Some(toml::Value::Table(s)) => {
                    for (arg, v) in s {
                        match v.as_str() {
                            Some(c) => {
                                args.retain(|(a, _)| a != arg);
                                args.push((arg.clone(), ArgSource::Const(c.to_string())));
                            }
                            None => errors.push(file.error(
                                idr,
                                Some(arg),
                                format!("`set.{arg}` is a string"),
                            )),
                        }
                    }
                }
                Some(_) => errors.push(file.error(idr, Some("set"), "`set` is a table")),
                None => {}
            }
            let fill = match t.get("fill") {
                None => true,
                Some(toml::Value::Boolean(b)) => *b,
                Some(_) => {
                    errors.push(file.error(idr, Some("fill"), "`fill` is true or false"));
                    true
                }
            };
            let join = match t.get("join") {
                None => None,
                Some(toml::Value::Integer(n)) if (0..=10).contains(n) => Some(*n as usize),
                Some(_) => {
                    errors.push(file.error(
                        idr,
                        Some("join"),
                        "`join` is a number of sentences from 0 to 10",
                    ));
                    None
                }
            };
            let alone = match t.get("alone") {
                None => false,
                Some(toml::Value::Boolean(b)) => *b,
                Some(_) => {
                    errors.push(file.error(idr, Some("alone"), "`alone` is true or false"));
                    false
                }
            };
            if errors.len() == before {
                rules.push(Rule {
                    rule: file.rule_id(&id),
                    kind,
                    patterns,
                    args,
                    fill,
                    join,
                    alone,
                });
            }
        }
        if errors.is_empty() {
            let starts = Starts::build(&rules, &mut vocab);
            Ok(FactRules {
                rules,
                roles,
                attribution,
                vocab,
                starts,
                id: NEXT_RULES_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            })
        } else {
            Err(errors)
        }
    }

    /// The number of compiled pattern rules (role-from-title not counted).
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty() && self.roles.is_none() && self.attribution.is_none()
    }

    /// Every fact of the document. `values` is sorted by span; an
    /// [`crate::layers::Arg::Value`] indexes into it.
    pub fn find(
        &self,
        doc: &Document,
        seg: &Segmentation,
        entities: &[Entity],
        values: &[Value],
    ) -> Vec<Fact> {
        // Every mention and value, by start: each sentence takes a run.
        let mut all: Vec<Cand> = Vec::new();
        for (ei, e) in entities.iter().enumerate() {
            all.extend(e.mentions.iter().map(|m| Cand {
                span: m.span,
                kind: ItemKind::Ent(ei),
            }));
        }
        all.extend(values.iter().enumerate().map(|(vi, v)| Cand {
            span: v.span,
            kind: ItemKind::Val(vi),
        }));
        all.sort_by_key(|c| (c.span.start, std::cmp::Reverse(c.span.end)));
        let mut next = 0;
        let mut facts = Vec::new();
        let mut items = Vec::new();
        let mut cache = self.take_cache();
        let mut starts: Vec<(u32, u32)> = Vec::new();
        let mut sentence_dates = vec![SentenceDates::None; seg.sentences.len()];
        // Per sentence: None (no place), Some(Some(id)) (one place, not a
        // modifier), Some(None) (several).
        let mut sentence_places: Vec<Option<Option<String>>> = vec![None; seg.sentences.len()];
        // Per sentence: its first place after a locative ("in Bajaur
        // District, Khyber Pakhtunkhwa" -> Bajaur).
        let mut locatives: Vec<Option<Vec<String>>> = vec![None; seg.sentences.len()];
        // Per block: the first place of an incident header that opens it
        // ("26 August 2024, Musakhel, Balochistan: ..."; "2. Musakhel,
        // Balochistan (Pakistan), 26 August 2024.").
        let mut headers: Vec<Option<String>> = vec![None; seg.blocks.len()];
        let mut ok = vec![false; self.starts.flat.len()];
        let mut seen = vec![false; self.starts.flat.len()];
        // The patterns `seen` and `ok` hold a mark for (cleared per sentence).
        let mut touched: Vec<u32> = Vec::new();
        let mut ok_set: Vec<u32> = Vec::new();
        // Per vocabulary id present in the sentence (per prefilter type
        // bit, plus one), the last item that holds it (`ABSENT` for the
        // others; `present_ids` lists those set); per passing pattern,
        // the last item a match can start from (every required word and
        // type must lie at or after the start: matching only reads forward).
        const ABSENT: u32 = u32::MAX;
        let mut last_word = vec![ABSENT; self.vocab.len()];
        let mut limit = vec![0u32; self.starts.flat.len()];
        let mut present_ids: Vec<u32> = Vec::new();
        let mut memo = Memo::default();
        for (si, sentence) in seg.sentences.iter().enumerate() {
            if self.rules.is_empty() {
                break;
            }
            while next < all.len() && all[next].span.start < sentence.span.start {
                next += 1;
            }
            let from = next;
            while next < all.len() && all[next].span.start < sentence.span.end {
                next += 1;
            }
            let cands = &mut all[from..next];
            build_items(
                seg,
                sentence.tokens.clone(),
                cands,
                &mut |t| self.token_ids(seg, t, &mut cache),
                &mut items,
            );
            for &id in &present_ids {
                last_word[id as usize] = ABSENT;
            }
            present_ids.clear();
            let mut mask = 0u32;
            let mut last_type = [0u32; 32];
            for (pos, it) in items.iter().enumerate() {
                let type_bit = match it.kind {
                    ItemKind::Tok { a, b, .. } => {
                        for &id in &cache.ids[a as usize..b as usize] {
                            if last_word[id as usize] == ABSENT {
                                present_ids.push(id);
                            }
                            last_word[id as usize] = pos as u32;
                        }
                        continue;
                    }
                    ItemKind::Ent(e) => entities[e].etype as u32,
                    ItemKind::Val(v) => 5 + values[v].vtype as u32,
                    ItemKind::Quote { .. } => 13,
                };
                mask |= 1 << type_bit;
                last_type[type_bit as usize] = pos as u32 + 1;
            }
            let mut dates = items.iter().filter_map(|i| match i.kind {
                ItemKind::Val(v) if values[v].vtype == ValueType::Date => Some(v),
                _ => None,
            });
            sentence_dates[si] = match (dates.next(), dates.next()) {
                // An underspecified date ("April" without its year) does not
                // date the sentences after it.
                (Some(v), None) if values[v].value.as_str().is_some_and(|x| x.starts_with('X')) => {
                    SentenceDates::Several
                }
                (Some(v), None) => SentenceDates::One(v),
                (Some(_), Some(_)) => SentenceDates::Several,
                _ => SentenceDates::None,
            };
            let ctx = Ctx {
                ids: &cache.ids,
                text: &doc.text,
                seg,
                items: &items,
                entities,
                values,
            };
            let mut one_place: Option<Option<&str>> = None;
            for (idx, it) in items.iter().enumerate() {
                if let ItemKind::Ent(e) = it.kind {
                    let e = &entities[e];
                    if e.etype == EntityType::Place && !ctx.is_modifier(idx) {
                        one_place = match one_place {
                            None => Some(Some(&e.id)),
                            Some(Some(p)) if p == e.id => Some(Some(p)),
                            _ => Some(None),
                        };
                    }
                }
            }
            sentence_places[si] = one_place.map(|p| p.map(str::to_string));
            // (After a list number the segmenter may have cut off: "4.")
            let opens = |k: usize| k == 0 || seg.sentences[k - 1].block != sentence.block;
            if opens(si) || (opens(si - 1) && seg.sentences[si - 1].tokens.len() <= 2) {
                if let Some(h) = headers.get_mut(sentence.block) {
                    *h = ctx.header_place();
                }
            }
            // With the places apposed to it ("in Spinwam, North
            // Waziristan District").
            locatives[si] = items
                .iter()
                .enumerate()
                .find_map(|(idx, it)| match it.kind {
                    ItemKind::Ent(e)
                        if entities[e].etype == EntityType::Place
                            && ctx.after_locative(idx)
                            && !ctx.is_modifier(idx) =>
                    {
                        let mut all = vec![entities[e].id.clone()];
                        let mut k = idx + 1;
                        while ctx.folded(k) == Some(",") {
                            match ctx.place_at(k + 1) {
                                Some(p) if !ctx.is_modifier(k + 1) => {
                                    if !all.iter().any(|x| x == p) {
                                        all.push(p.to_string());
                                    }
                                    k += 2;
                                }
                                _ => break,
                            }
                        }
                        Some(all)
                    }
                    _ => None,
                });
            // A question asserts nothing ("How many were arrested?").
            if !sentence.tokens.is_empty() && seg.folded(sentence.tokens.end - 1) == "?" {
                continue;
            }
            // The patterns whose required words and types the sentence
            // holds, and the (pattern, item) pairs where they can start.
            // Only patterns one of the sentence's words is required by, and
            // those no word decides, can pass.
            let st = &self.starts;
            for &g in &touched {
                seen[g as usize] = false;
            }
            touched.clear();
            for &g in &ok_set {
                ok[g as usize] = false;
            }
            ok_set.clear();
            for &id in &present_ids {
                if let Some(post) = st.trig_post.get(id as usize) {
                    for &g in post {
                        if !seen[g as usize] {
                            seen[g as usize] = true;
                            touched.push(g);
                        }
                    }
                }
            }
            'pattern: for &g in touched.iter().chain(&st.free) {
                let g = g as usize;
                let (ri, pi) = st.flat[g];
                let p = &self.rules[ri].patterns[pi];
                if !p.required_types.iter().all(|&m| mask & m != 0) {
                    continue;
                }
                // Every required group must be present; the start limit is
                // the earliest of the groups' last items.
                let mut lim = u32::MAX;
                for ids in &p.required_words {
                    let last = ids
                        .iter()
                        .map(|&id| last_word[id as usize])
                        .filter(|&l| l != ABSENT)
                        .max();
                    match last {
                        Some(l) => lim = lim.min(l),
                        None => continue 'pattern,
                    }
                }
                for &m in &p.required_types {
                    let last = (0..32)
                        .filter(|b| m & mask & (1 << b) != 0)
                        .map(|b| last_type[b])
                        .max();
                    lim = lim.min(last.unwrap_or(1).saturating_sub(1));
                }
                ok[g] = true;
                ok_set.push(g as u32);
                limit[g] = lim;
            }
            if ok_set.is_empty() {
                continue;
            }
            starts.clear();
            for (pos, it) in items.iter().enumerate() {
                let pos = pos as u32;
                let mut add = |gs: &[u32]| {
                    starts.extend(
                        gs.iter()
                            .filter(|&&g| ok[g as usize] && pos <= limit[g as usize])
                            .map(|&g| (g, pos)),
                    )
                };
                match it.kind {
                    ItemKind::Tok { tok, a, b } => {
                        for &id in &cache.ids[a as usize..b as usize] {
                            add(&st.by_word[id as usize]);
                        }
                        if seg.tokens[tok].kind == TokenKind::Word
                            && it.span.slice(&doc.text).starts_with(char::is_uppercase)
                        {
                            add(&st.caps);
                        }
                    }
                    ItemKind::Ent(e) => add(&st.by_type[entities[e].etype as usize]),
                    ItemKind::Val(v) => add(&st.by_type[5 + values[v].vtype as usize]),
                    ItemKind::Quote { .. } => add(&st.by_type[13]),
                }
                add(&st.any);
            }
            let start = facts.len();
            let mut fills = Vec::new();
            let mut joining = Vec::new();
            if starts.is_empty() {
                continue;
            }
            starts.sort_unstable();
            starts.dedup();
            let mut i = 0;
            let mut binds = Vec::new();
            while i < starts.len() {
                let g = starts[i].0;
                let group_end = starts[i..]
                    .iter()
                    .position(|s| s.0 != g)
                    .map_or(starts.len(), |k| i + k);
                let (ri, pi) = st.flat[g as usize];
                let (rule, p) = (&self.rules[ri], &self.rules[ri].patterns[pi]);
                // Where the program failed from (pc, item) once, it fails
                // again from any start: remember it for this sentence.
                memo.width = items.len() + 1;
                memo.bits.clear();
                memo.bits
                    .resize((p.prog.len() * memo.width).div_ceil(64), 0);
                let mut next_pos = 0;
                for &(_, pos) in &starts[i..group_end] {
                    let pos = pos as usize;
                    if pos < next_pos {
                        continue;
                    }
                    binds.clear();
                    let mut budget = STEP_BUDGET;
                    if let Some(end) = ctx.run(p, 0, pos, &mut binds, &mut budget, &mut memo) {
                        if end > pos {
                            facts.push(ctx.fact(rule, p, si, pos, end, &binds));
                            fills.push(rule.fill);
                            joining.push(rule.join.is_some());
                            next_pos = end;
                        }
                    }
                }
                i = group_end;
            }
            ctx.fill_all(&mut facts[start..], &fills);
            dedupe(&mut facts, start, &joining);
        }
        Self::put_cache(cache);
        // A total of the dead over a period ("200 rebels were killed in
        // 2025, compared with 219") is a count, not a kill.
        let totals: Vec<Arg> = facts
            .iter()
            .filter(|f| f.kind == "count")
            .filter_map(|f| f.args.get("count").cloned())
            .collect();
        // Nor is a count's number also a metric's value ("Suicide attacks
        // rose to 27 from 23": no metric named "Suicide").
        facts.retain(|f| {
            !matches!(f.kind.as_str(), "kill" | "metric")
                || !f
                    .args
                    .get(if f.kind == "kill" { "count" } else { "value" })
                    .is_some_and(|c| totals.contains(c))
        });
        self.join(&doc.text, seg, values, &mut facts);
        victims_target(entities, values, &mut facts);
        same_person_event(&mut facts);
        kill_target_from_noun(&doc.text, entities, values, &mut facts);
        resolve_pronouns(seg, entities, &mut facts);
        paragraph_time(
            seg,
            values,
            &sentence_dates,
            &sentence_places,
            &locatives,
            &headers,
            &mut facts,
        );
        // A fact says who, what or how many, not only when and where.
        facts.retain(|f| f.args.keys().any(|k| k != "time" && k != "place"));
        claims::claims(
            self.roles.as_ref().map(|r| r.rule.as_str()),
            self.attribution.as_deref(),
            doc,
            seg,
            entities,
            values,
            &mut facts,
        );
        facts
    }

    /// Facts of `join` rules complete a fact of the same kind made by
    /// another rule: every such fact of their own sentence that lacks one of
    /// their arguments, else the nearest one in the sentences before (up to
    /// the rule's number, the same block for 0-1). They are then dropped,
    /// or kept when nothing took them and the rule says `alone`.
    fn join(&self, text: &str, seg: &Segmentation, values: &[Value], facts: &mut Vec<Fact>) {
        let joins: HashMap<&str, (usize, bool)> = self
            .rules
            .iter()
            .filter_map(|r| r.join.map(|n| (r.rule.as_str(), (n, r.alone))))
            .collect();
        if joins.is_empty() {
            return;
        }
        let is_join = |f: &Fact| joins.contains_key(f.rule.as_str());
        let mut keep = vec![true; facts.len()];
        for j in 0..facts.len() {
            let Some(&(window, alone)) = joins.get(facts[j].rule.as_str()) else {
                continue;
            };
            let (kind, sent) = (facts[j].kind.clone(), facts[j].sentence);
            // Words another rule read as a fact of another kind ("21
            // militants were killed" as a kill) are not this one's.
            let span = facts[j].span;
            // But a bare count of the dead (no agent, no target) right after
            // an attack that lacks them is that attack's victims: "...
            // detonated his explosives among the crowds. Thirteen soldiers
            // and about 170 Afghans were killed."
            // (Not militants: "21 militants were killed in the clearance
            // operations that followed" is a kill.)
            let bare_kill = |f: &Fact| {
                f.kind == "kill"
                    && !f.args.contains_key("agent")
                    && !f.args.contains_key("target")
                    && match f.args.get("count") {
                        Some(Arg::Value(v)) => values.get(*v).is_some_and(|v| {
                            !matches!(v.unit.as_deref(), Some("militant" | "terrorist"))
                        }),
                        _ => false,
                    }
            };
            let others: Vec<usize> = (0..facts.len())
                .filter(|&i| {
                    let f = &facts[i];
                    f.kind != kind && !is_join(f) && keep[i] && f.span.overlaps(span)
                })
                .collect();
            let victims = !others.is_empty() && others.iter().all(|&i| bare_kill(&facts[i]));
            // Only where they begin: a cooperation that ends in it
            // ("Responsibility was claimed by Jaish al-Fursan, a faction
            // linked to ...") leaves the claim.
            let blocked = others
                .iter()
                .any(|&i| facts[i].span.start <= span.start && span.start < facts[i].span.end);
            if blocked && !victims {
                keep[j] = false;
                continue;
            }
            let lacks = |f: &Fact| {
                facts[j]
                    .args
                    .keys()
                    .any(|k| k != "time" && k != "place" && !f.args.contains_key(k))
            };
            let host = |i: usize| {
                let f = &facts[i];
                f.kind == kind && !is_join(f) && keep[i] && lacks(f)
            };
            let mut targets: Vec<usize> = (0..facts.len())
                .filter(|&i| facts[i].sentence == sent && host(i))
                .collect();
            // Of several in its sentence, those that read its words, unless
            // it says it is about all of them ("..., both claimed by the
            // BLA's Majeed Brigade").
            let every =
                span.slice(text).split_whitespace().next().is_some_and(|w| {
                    w.eq_ignore_ascii_case("both") || w.eq_ignore_ascii_case("all")
                });
            if !every && targets.len() > 1 && targets.iter().any(|&i| facts[i].span.overlaps(span))
            {
                targets.retain(|&i| facts[i].span.overlaps(span));
            }
            if targets.is_empty() {
                let block = seg.sentences.get(sent).map(|s| s.block);
                targets.extend(
                    (0..j)
                        .rev()
                        .filter(|&i| {
                            let s = facts[i].sentence;
                            s < sent
                                && sent - s <= window
                                && (window > 1 || seg.sentences.get(s).map(|x| x.block) == block)
                                && host(i)
                        })
                        .take(1),
                );
            }
            if targets.is_empty() {
                keep[j] = alone && !victims;
                continue;
            }
            if victims {
                for &i in &others {
                    keep[i] = false;
                }
            }
            let add: Vec<(String, Arg)> = facts[j]
                .args
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            for &t in &targets {
                for (k, v) in &add {
                    if !facts[t].args.contains_key(k) && !binds(&facts[t].args, v) {
                        facts[t].args.insert(k.clone(), v.clone());
                    }
                }
            }
            keep[j] = false;
        }
        let mut k = keep.into_iter();
        facts.retain(|_| k.next().unwrap_or(true));
    }
}

/// Entries a worker thread's token cache holds before it starts over.
const TOKEN_CACHE_LIMIT: usize = 100_000;

/// Literals this long or longer also match as a prefix of the folded form.
const MIN_PREFIX: usize = 5;

/// Folded form -> its vocabulary ids, for one [`FactRules`] (`owner`),
/// kept by each worker thread across documents: a batch repeats the same
/// words, and the ids are a pure function of the form (its stem is), so
/// the cache never changes what a document gives.
#[derive(Default)]
struct TokenCache {
    owner: u64,
    /// Folded form -> `ids[a..b]`.
    map: HashMap<Box<str>, (u32, u32), BuildWordHasher>,
    ids: Vec<u32>,
}

thread_local! {
    static TOKEN_CACHE: std::cell::RefCell<TokenCache> = std::cell::RefCell::default();
}

/// Gives every compiled [`FactRules`] its own token cache key.
static NEXT_RULES_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

impl FactRules {
    /// This thread's token cache, emptied when it was another rule set's
    /// or has grown too big; give it back with [`Self::put_cache`].
    fn take_cache(&self) -> TokenCache {
        let mut c = TOKEN_CACHE.with(|c| c.take());
        if c.owner != self.id || c.map.len() >= TOKEN_CACHE_LIMIT {
            c.map.clear();
            c.ids.clear();
            c.owner = self.id;
        }
        c
    }

    fn put_cache(c: TokenCache) {
        TOKEN_CACHE.with(|slot| slot.replace(c));
    }

    /// The vocabulary ids token `t` matches (its folded form, its stem, and
    /// every literal that is a prefix of its folded form), cached per form.
    fn token_ids(&self, seg: &Segmentation, t: usize, cache: &mut TokenCache) -> (u32, u32) {
        let folded = seg.folded(t);
        if let Some(&r) = cache.map.get(folded) {
            return r;
        }
        let buf = &mut cache.ids;
        let a = buf.len() as u32;
        let push = |id: Option<u32>, buf: &mut Vec<u32>| {
            if let Some(id) = id {
                if !buf[a as usize..].contains(&id) {
                    buf.push(id);
                }
            }
        };
        push(self.vocab.get(folded), buf);
        push(self.vocab.get(seg.stem(t)), buf);
        let max = self.vocab.max_len();
        for (k, _) in folded.char_indices().skip(MIN_PREFIX) {
            if k > max {
                break;
            }
            push(self.vocab.get(&folded[..k]), buf);
        }
        let r = (a, buf.len() as u32);
        cache.map.insert(folded.into(), r);
        r
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum ItemKind {
    /// A token and its vocabulary ids (`ids[a..b]` of [`Ctx::ids`]).
    Tok {
        tok: usize,
        a: u32,
        b: u32,
    },
    Ent(usize),
    Val(usize),
    Quote {
        inner: Span,
    },
}

#[derive(Debug, Clone, Copy)]
struct Cand {
    span: Span,
    kind: ItemKind,
}

#[derive(Debug, Clone, Copy)]
struct Item {
    span: Span,
    kind: ItemKind,
}

/// Fills `items` with the sentence's items: mentions and values (longest
/// first where they overlap), quoted spans, and the remaining tokens.
fn build_items(
    seg: &Segmentation,
    toks: std::ops::Range<usize>,
    cands: &[Cand],
    ids: &mut dyn FnMut(usize) -> (u32, u32),
    items: &mut Vec<Item>,
) {
    items.clear();
    let mut chosen: Vec<Cand> = Vec::with_capacity(cands.len());
    for c in cands.iter() {
        if chosen.last().is_none_or(|l| c.span.start >= l.span.end) {
            chosen.push(*c);
        }
    }
    // Quotes: pair double quotes (straight or curly, all fold to `"`).
    let mut quotes: Vec<Span> = Vec::new();
    let mut open: Option<usize> = None;
    for t in toks.clone() {
        if seg.folded(t) == "\"" {
            match open {
                None => open = Some(t),
                Some(o) => {
                    if t > o + 1 {
                        quotes.push(Span::new(seg.tokens[o].span.start, seg.tokens[t].span.end));
                    }
                    open = None;
                }
            }
        }
    }
    let mut ci = 0;
    let mut qi = 0;
    let mut t = toks.start;
    while t < toks.end {
        let tspan = seg.tokens[t].span;
        if let Some(q) = quotes.get(qi) {
            if q.start == tspan.start {
                let inner_start = seg.tokens[t].span.end;
                let mut e = t;
                while e < toks.end && seg.tokens[e].span.end < q.end {
                    e += 1;
                }
                let inner_end = seg.tokens[e].span.start;
                items.push(Item {
                    span: *q,
                    kind: ItemKind::Quote {
                        inner: Span::new(inner_start, inner_end.max(inner_start)),
                    },
                });
                while ci < chosen.len() && chosen[ci].span.start < q.end {
                    ci += 1;
                }
                qi += 1;
                t = e + 1;
                continue;
            }
        }
        while ci < chosen.len() && chosen[ci].span.end <= tspan.start {
            ci += 1;
        }
        if let Some(c) = chosen.get(ci) {
            if c.span.start < tspan.end {
                items.push(Item {
                    span: c.span,
                    kind: c.kind,
                });
                while t < toks.end && seg.tokens[t].span.start < c.span.end {
                    t += 1;
                }
                ci += 1;
                continue;
            }
        }
        let (a, b) = ids(t);
        items.push(Item {
            span: tspan,
            kind: ItemKind::Tok { tok: t, a, b },
        });
        t += 1;
    }
}

/// The (program counter, item) states from which a pattern failed in one
/// sentence: the match from a state does not depend on how it was reached,
/// so the backtracking matcher never explores one twice.
#[derive(Debug, Default)]
struct Memo {
    bits: Vec<u64>,
    width: usize,
}

impl Memo {
    fn failed(&self, key: usize) -> bool {
        self.bits
            .get(key / 64)
            .is_some_and(|w| w & (1 << (key % 64)) != 0)
    }

    fn fail(&mut self, key: usize) {
        if let Some(w) = self.bits.get_mut(key / 64) {
            *w |= 1 << (key % 64);
        }
    }
}

/// One slot binding: items `start..end`.
#[derive(Debug, Clone, Copy)]
struct Bind {
    slot: usize,
    start: usize,
    end: usize,
}

const OPEN: usize = usize::MAX;

struct Ctx<'a> {
    ids: &'a [u32],
    text: &'a str,
    seg: &'a Segmentation,
    items: &'a [Item],
    entities: &'a [Entity],
    values: &'a [Value],
}

/// Words that may stand between the items of a list slot: "A, B and C".
const LIST_SEPARATORS: &[&str] = &[",", "and", "or", "the", "-", "/", "&", "as", "well"];
/// And between the places of a list of places, which names every place of
/// one locative phrase (the convention of the gold files: a fact's `place`
/// holds them all, in the text's order, mostly narrowest first): "near
/// Besham, Shangla district, Khyber Pakhtunkhwa", "in Khar, the headquarters
/// of Bajaur district", "on the Kutru–Bedre road near the village of Ambeli
/// in Bijapur district", "in Jammu and Kashmir's Reasi district".
const PLACE_LIST_WORDS: &[&str] = &[
    "in",
    "'s",
    "road",
    "highway",
    "meadow",
    "near",
    "district",
    "province",
    "state",
    "tehsil",
    "region",
    "area",
    "village",
    "town",
    "city",
    "of",
    "headquarters",
    "capital",
    "outskirts",
];
const TEXT_STOPS: &[&str] = &[",", ";", ".", ":", "(", ")", "!", "?"];
const DETERMINERS: &[&str] = &["the", "a", "an", "this", "that", "its", "their"];

impl Ctx<'_> {
    fn folded(&self, i: usize) -> Option<&str> {
        match self.items.get(i)?.kind {
            ItemKind::Tok { tok, .. } => Some(self.seg.folded(tok)),
            _ => None,
        }
    }

    fn accepts(&self, t: &SlotType, i: usize) -> bool {
        let Some(item) = self.items.get(i) else {
            return false;
        };
        match (t, item.kind) {
            (SlotType::Entity(want), ItemKind::Ent(e)) => {
                want.is_none_or(|w| self.entities[e].etype == w)
            }
            (SlotType::Value(vt, unit), ItemKind::Val(v)) => {
                let v = &self.values[v];
                v.vtype == *vt
                    && unit.as_ref().is_none_or(|u| {
                        // `{count:militant|terrorist}`: one of several units.
                        v.unit
                            .as_deref()
                            .is_some_and(|vu| u.split('|').any(|x| x == vu))
                    })
            }
            (SlotType::Quote, ItemKind::Quote { .. }) => true,
            _ => false,
        }
    }

    /// The end of the items slot `types` takes from `pos` (greedy), if any.
    fn consume(&self, slot: &pattern::Slot, pos: usize) -> Option<usize> {
        let one = |i: usize| slot.types.iter().any(|t| self.accepts(t, i));
        if slot.types.contains(&SlotType::Name) {
            let mut i = pos;
            if self.folded(i).is_some_and(|f| DETERMINERS.contains(&f)) {
                i += 1;
            }
            let first = i;
            while let Some(item) = self.items.get(i) {
                let ok = match item.kind {
                    // With other types beside `name` ({person|name}), an
                    // entity of another type ends the name.
                    ItemKind::Ent(_) => slot.types.len() == 1 || one(i),
                    // A capitalized function or calendar word ("On 2 June,
                    // ...", "In March") opens a phrase, not a name.
                    ItemKind::Tok { tok, .. } => {
                        self.seg.tokens[tok].kind == TokenKind::Word
                            && item.span.slice(self.text).starts_with(char::is_uppercase)
                            && !crate::matcher::is_function_or_calendar_word(self.seg.folded(tok))
                    }
                    _ => false,
                };
                if !ok {
                    break;
                }
                i += 1;
                // A list of names: "Parvaiz Ahmad Jothar and Bashir Ahmad
                // Jothar" (each after the first must be a mention).
                if slot.list
                    && self
                        .items
                        .get(i)
                        .is_some_and(|it| !matches!(it.kind, ItemKind::Ent(_)))
                {
                    let mut j = i;
                    while j < i + 3 && self.folded(j).is_some_and(|f| LIST_SEPARATORS.contains(&f))
                    {
                        j += 1;
                    }
                    if j > i
                        && self
                            .items
                            .get(j)
                            .is_some_and(|it| matches!(it.kind, ItemKind::Ent(_)))
                        && one(j)
                    {
                        i = j;
                    }
                }
            }
            return (i > first).then_some(i);
        }
        if slot.types.contains(&SlotType::Text) {
            let mut i = pos;
            while i < self.items.len() && i < pos + 12 {
                if self.folded(i).is_some_and(|f| TEXT_STOPS.contains(&f)) {
                    break;
                }
                if matches!(self.items[i].kind, ItemKind::Quote { .. }) {
                    break;
                }
                i += 1;
            }
            return (i > pos).then_some(i);
        }
        let is_entity = slot.types.iter().any(|t| matches!(t, SlotType::Entity(_)));
        let det = |i: usize| is_entity && self.folded(i) == Some("the");
        let pos = if det(pos) && one(pos + 1) {
            pos + 1
        } else {
            pos
        };
        if !one(pos) {
            return None;
        }
        let mut end = pos + 1;
        if slot.list {
            let places = slot
                .types
                .iter()
                .all(|t| *t == SlotType::Entity(Some(EntityType::Place)));
            let sep =
                |f: &str| LIST_SEPARATORS.contains(&f) || (places && PLACE_LIST_WORDS.contains(&f));
            // "road near the village of" joins two places of one phrase.
            let gap = if places { 6 } else { 4 };
            let mut i = end;
            loop {
                let mut j = i;
                while j < i + gap && self.folded(j).is_some_and(sep) {
                    j += 1;
                }
                // A place mention may hold its possessive: "Jammu and
                // Kashmir's" + "Reasi district".
                let possessive = places
                    && self.items.get(i - 1).is_some_and(|it| {
                        let t = it.span.slice(self.text);
                        t.ends_with("'s") || t.ends_with("\u{2019}s")
                    });
                if (j > i || possessive) && one(j) && !det(j) {
                    end = j + 1;
                    i = end;
                } else {
                    break;
                }
            }
        }
        Some(end)
    }

    /// The date value at item `k` (its index and span), if it is one.
    fn date_at(&self, k: usize) -> Option<(usize, Span)> {
        let it = self.items.get(k)?;
        match it.kind {
            ItemKind::Val(v) if self.values[v].vtype == ValueType::Date => Some((v, it.span)),
            _ => None,
        }
    }

    /// The id of the place entity at item `k`, if it is one.
    fn place_at(&self, k: usize) -> Option<&str> {
        match self.items.get(k)?.kind {
            ItemKind::Ent(e) if self.entities[e].etype == EntityType::Place => {
                Some(&self.entities[e].id)
            }
            _ => None,
        }
    }

    /// Whether `inst`, a word test, fails at item `pos` (false for other
    /// instructions).
    #[inline]
    fn fails_at(&self, inst: &Inst, pos: usize) -> bool {
        let tok_ids = match self.items.get(pos).map(|i| i.kind) {
            Some(ItemKind::Tok { a, b, .. }) => &self.ids[a as usize..b as usize],
            _ => &[],
        };
        match inst {
            Inst::Word(ids) if ids.len() <= 8 => !tok_ids.iter().any(|id| ids.contains(id)),
            Inst::Word(ids) | Inst::Peek(ids) => {
                !tok_ids.iter().any(|id| ids.binary_search(id).is_ok())
            }
            _ => false,
        }
    }

    fn run(
        &self,
        p: &Pattern,
        mut pc: usize,
        mut pos: usize,
        binds: &mut Vec<Bind>,
        budget: &mut u32,
        memo: &mut Memo,
    ) -> Option<usize> {
        loop {
            match &p.prog[pc] {
                // The word tests are `fails_at`'s, which `Split` also asks.
                inst @ Inst::Word(_) => {
                    if self.fails_at(inst, pos) {
                        return None;
                    }
                    pos += 1;
                    pc += 1;
                }
                Inst::Any => {
                    // A gap stays within its clause's label: "24 Feb,
                    // Gwadar: Police arrested ..." has no arrest by Gwadar.
                    if pos >= self.items.len() || self.folded(pos) == Some(":") {
                        return None;
                    }
                    pos += 1;
                    pc += 1;
                }
                inst @ Inst::Peek(_) => {
                    if self.fails_at(inst, pos) {
                        return None;
                    }
                    pc += 1;
                }
                Inst::Slot(s) => {
                    let end = self.consume(&p.slots[*s], pos)?;
                    binds.push(Bind {
                        slot: *s,
                        start: pos,
                        end,
                    });
                    pos = end;
                    pc += 1;
                }
                Inst::Split(a, b) => {
                    *budget = budget.checked_sub(1)?;
                    let key = *a * memo.width + pos;
                    if !memo.failed(key) {
                        // A branch whose first test fails here (most
                        // alternatives of a long group) fails without a
                        // call, as the call would.
                        if !self.fails_at(&p.prog[*a], pos) {
                            let mark = binds.len();
                            if let Some(end) = self.run(p, *a, pos, binds, budget, memo) {
                                return Some(end);
                            }
                            binds.truncate(mark);
                        }
                        memo.fail(key);
                    }
                    pc = *b;
                }
                Inst::Jmp(a) => pc = *a,
                Inst::CapStart(c) => {
                    binds.push(Bind {
                        slot: *c,
                        start: pos,
                        end: OPEN,
                    });
                    pc += 1;
                }
                Inst::CapEnd(c) => {
                    let start = binds
                        .iter()
                        .rev()
                        .find(|b| b.slot == *c && b.end == OPEN)
                        .map(|b| b.start)
                        .unwrap_or(pos);
                    binds.push(Bind {
                        slot: *c,
                        start,
                        end: pos,
                    });
                    pc += 1;
                }
                Inst::Match => return Some(pos),
            }
        }
    }

    /// The argument one binding gives.
    fn bind_arg(&self, p: &Pattern, b: &Bind) -> Option<Arg> {
        let slot = &p.slots[b.slot];
        let span_of =
            |s: usize, e: usize| Span::new(self.items[s].span.start, self.items[e - 1].span.end);
        let text_slot = slot.types.is_empty()
            || slot.types.contains(&SlotType::Name)
            || slot.types.contains(&SlotType::Text);
        if let Some(v) = &slot.value {
            return Some(Arg::Text(v.clone()));
        }
        if text_slot {
            let mut s = b.start;
            if (slot.types.is_empty() || slot.types.contains(&SlotType::Name))
                && b.end > s + 1
                && self.folded(s).is_some_and(|f| DETERMINERS.contains(&f))
            {
                s += 1;
            }
            if b.end <= s || b.end > self.items.len() {
                return None;
            }
            // A list of names: its mentions, when separators are all else.
            if slot.list
                && b.end > s + 1
                && (s..b.end).all(|i| match self.items[i].kind {
                    ItemKind::Ent(_) => true,
                    ItemKind::Tok { .. } => {
                        self.folded(i).is_some_and(|f| LIST_SEPARATORS.contains(&f))
                    }
                    _ => false,
                })
            {
                let ids: Vec<Arg> = (s..b.end)
                    .filter_map(|i| match self.items[i].kind {
                        ItemKind::Ent(e) => Some(Arg::Entity(self.entities[e].id.clone())),
                        _ => None,
                    })
                    .collect();
                return Some(Arg::List(ids));
            }
            // Never raw text where one entity or value covers it all.
            if b.end == s + 1 {
                match self.items[s].kind {
                    ItemKind::Ent(e) => return Some(Arg::Entity(self.entities[e].id.clone())),
                    ItemKind::Val(v) => return Some(Arg::Value(v)),
                    _ => {}
                }
            }
            return Some(Arg::Text(span_of(s, b.end).slice(self.text).to_string()));
        }
        let mut out = Vec::new();
        for i in b.start..b.end {
            match self.items[i].kind {
                ItemKind::Ent(e) => out.push(Arg::Entity(self.entities[e].id.clone())),
                ItemKind::Val(v) => out.push(Arg::Value(v)),
                ItemKind::Quote { inner } => {
                    out.push(Arg::Text(inner.slice(self.text).to_string()))
                }
                ItemKind::Tok { .. } => {}
            }
        }
        // One item is one argument even from a list slot (DESIGN.md's list
        // arguments, `participants` and `parties`, are made lists later).
        match out.len() {
            0 => None,
            1 => out.pop(),
            _ => Some(Arg::List(out)),
        }
    }

    fn fact(
        &self,
        rule: &Rule,
        p: &Pattern,
        sentence: usize,
        start: usize,
        end: usize,
        binds: &[Bind],
    ) -> Fact {
        let mut args = BTreeMap::new();
        for (arg, src) in &rule.args {
            match src {
                ArgSource::Const(c) => {
                    args.insert(arg.clone(), Arg::Text(c.clone()));
                }
                ArgSource::Slots(names) => {
                    let mut got = Vec::new();
                    // DESIGN.md's list arguments are lists even with one item.
                    let mut list = LIST_ARGS.contains(&arg.as_str());
                    for b in binds.iter().filter(|b| b.end != OPEN) {
                        let slot = &p.slots[b.slot];
                        if names.contains(&slot.name) {
                            match self.bind_arg(p, b) {
                                Some(Arg::List(items)) => {
                                    list = true;
                                    for a in items {
                                        if !got.contains(&a) {
                                            got.push(a);
                                        }
                                    }
                                }
                                Some(a) if !got.contains(&a) => got.push(a),
                                _ => {}
                            }
                        }
                    }
                    let arg_value = match got.len() {
                        0 => None,
                        1 if !list => got.pop(),
                        _ => Some(Arg::List(got)),
                    };
                    if let Some(a) = arg_value {
                        args.insert(arg.clone(), a);
                    }
                }
            }
        }
        // A target that is only a place ("... killed 166 people over three
        // days in Mumbai") is where it happened.
        // With places of its own ("attacked Crocus City Hall near Moscow"),
        // it is the first, narrowest of them.
        if let Some(Arg::Entity(id)) = args.get("target") {
            if id.starts_with("place:") && PLACE_KINDS.contains(&rule.kind.as_str()) {
                if let Some(first) = args.remove("target") {
                    let place = match args.remove("place") {
                        None => first,
                        Some(Arg::List(mut l)) => {
                            if !l.contains(&first) {
                                l.insert(0, first);
                            }
                            Arg::List(l)
                        }
                        Some(other) if other == first => other,
                        Some(other) => Arg::List(vec![first, other]),
                    };
                    args.insert("place".into(), place);
                }
            }
        }
        // A target named with its place ("Quetta railway station", "a
        // mosque inside the Peshawar Police Lines") locates the event.
        if PLACE_KINDS.contains(&rule.kind.as_str()) && !args.contains_key("place") {
            let target_names: Vec<&String> = rule
                .args
                .iter()
                .filter(|(a, _)| a == "target")
                .flat_map(|(_, src)| match src {
                    ArgSource::Slots(n) => n.iter().collect::<Vec<_>>(),
                    ArgSource::Const(_) => Vec::new(),
                })
                .collect();
            let place = binds
                .iter()
                .filter(|b| b.end != OPEN && target_names.contains(&&p.slots[b.slot].name))
                .flat_map(|b| b.start..b.end.min(self.items.len()))
                .filter(|&i| !self.is_country_adjective(i))
                .find_map(|i| self.place_at(i).map(str::to_string));
            if let Some(pl) = place {
                args.insert("place".into(), Arg::Entity(pl));
            }
        }
        if rule.kind == "attack" {
            self.extend_places(start, end, &mut args);
            // A place after a locative ("militants in Bannu attacked ...")
            // is where, not who.
            let located = binds.iter().any(|b| {
                b.end != OPEN
                    && p.slots[b.slot].name == "perpetrator"
                    && self.place_at(b.start).is_some()
                    && self.after_locative(b.start)
            });
            if located {
                args.remove("perpetrator");
            }
        }
        Fact {
            kind: rule.kind.clone(),
            span: Span::new(self.items[start].span.start, self.items[end - 1].span.end),
            sentence,
            rule: rule.rule.clone(),
            args,
        }
    }

    /// Fills `time` / `place` of one sentence's facts (those with `fills`
    /// set) from the sentence's single date / place. A date or place that
    /// lies inside another kind of fact's evidence and is bound there belongs
    /// to that fact, not to the sentence.
    fn fill_all(&self, facts: &mut [Fact], fills: &[bool]) {
        for i in 0..facts.len() {
            if !fills.get(i).copied().unwrap_or(false) {
                continue;
            }
            let mut args = std::mem::take(&mut facts[i].args);
            let kind = facts[i].kind.clone();
            let owned = |want: &Arg, span: Span| {
                facts.iter().enumerate().any(|(j, f)| {
                    j != i
                        && (f.kind != kind || LOCATED_KINDS.contains(&kind.as_str()))
                        && f.span.contains(span)
                        && binds(&f.args, want)
                })
            };
            self.fill(&kind, facts[i].span, &mut args, &owned);
            facts[i].args = args;
        }
    }

    /// An attack's place list goes on through an apposition to its last
    /// place ("at Abbey Gate, one of the entrances to Hamid Karzai
    /// International Airport in Kabul"; "in Khar, the headquarters of
    /// Bajaur district, Khyber Pakhtunkhwa"): the gold convention takes
    /// every place of the locative phrase.
    fn extend_places(&self, start: usize, end: usize, args: &mut BTreeMap<String, Arg>) {
        let mut all = match args.get("place") {
            Some(Arg::List(l)) => l.clone(),
            Some(a @ Arg::Entity(_)) => vec![a.clone()],
            _ => return,
        };
        let Some(Arg::Entity(last_id)) = all.last().cloned() else {
            return;
        };
        let Some(last) = (start..end.min(self.items.len()))
            .rfind(|&k| self.place_at(k) == Some(last_id.as_str()))
        else {
            return;
        };
        let mut k = last + 1;
        if self.folded(k) != Some(",") || !matches!(self.folded(k + 1), Some("the" | "one")) {
            return;
        }
        k += 2;
        // The apposition's head noun phrase, up to the next place.
        let limit = k + 8;
        while self.place_at(k).is_none() {
            match self.folded(k) {
                Some(f) if k < limit && !TEXT_STOPS.contains(&f) => k += 1,
                _ => return,
            }
        }
        while let Some(id) = self.place_at(k) {
            let a = Arg::Entity(id.to_string());
            if !all.contains(&a) {
                all.push(a);
            }
            let mut j = k + 1;
            while j < k + 3
                && self
                    .folded(j)
                    .is_some_and(|f| f == "," || PLACE_LIST_WORDS.contains(&f))
            {
                j += 1;
            }
            if j == k + 1 {
                break;
            }
            k = j;
        }
        if all.len() > 1 {
            args.insert("place".into(), Arg::List(all));
        }
    }

    /// Whether item `idx` follows a locative preposition, possibly with a
    /// determiner between ("in the Kurram district").
    fn after_locative(&self, idx: usize) -> bool {
        let mut j = idx;
        // "in the general area of Spinwam", "near the village of Tarkha".
        for _ in 0..5 {
            if j == 0 {
                return false;
            }
            j -= 1;
            match self.folded(j) {
                Some(f) if LOCATIVES.contains(&f) => return true,
                Some(f) if AREA_WORDS.contains(&f) => continue,
                _ => return false,
            }
        }
        false
    }

    /// The first place of an incident header that opens the sentence: a
    /// run of places, dates and list punctuation (a list number first) up
    /// to a colon, or the whole sentence ("Kathua, Jammu and Kashmir
    /// (India), 8 July 2024."), with at least one place and one date.
    fn header_place(&self) -> Option<String> {
        let n = self.items.len();
        let mut k = 0;
        // "2." list numbers.
        if self.items.first().is_some_and(|i| {
            matches!(i.kind, ItemKind::Tok { tok, .. } if self.seg.tokens[tok].kind == TokenKind::Number)
        }) && self.folded(1) == Some(".")
        {
            k = 2;
        }
        let (mut place, mut date) = (None, false);
        while k < n {
            match self.items[k].kind {
                // (Not a wire dateline: "NEW DELHI, July 29 —".)
                ItemKind::Ent(e) if self.entities[e].etype == EntityType::Place => {
                    if self.is_modifier(k) {
                        return None;
                    }
                    place = place.or(Some(&self.entities[e].id));
                }
                ItemKind::Val(v) if self.values[v].vtype == ValueType::Date => date = true,
                _ => match self.folded(k) {
                    Some(":") => break,
                    Some("." | "-" | "—") if k + 1 == n => break,
                    Some("," | "(" | ")" | "district" | "tehsil" | "province") => {}
                    _ => return None,
                },
            }
            k += 1;
        }
        if k + 1 >= n && self.folded(k) == Some(":") {
            return None;
        }
        place.filter(|_| date).cloned()
    }

    /// A country's adjective before a noun, outside a locative phrase ("a
    /// convoy carrying Chinese engineers", "targeting Afghan refugees"):
    /// it says whose, not where.
    fn is_country_adjective(&self, idx: usize) -> bool {
        let (Some(ItemKind::Ent(e)), Some(ItemKind::Tok { tok, .. })) = (
            self.items.get(idx).map(|i| i.kind),
            self.items.get(idx + 1).map(|i| i.kind),
        ) else {
            return false;
        };
        let ent = &self.entities[e];
        let country = ent.attributes.get("kind").is_some_and(|k| k == "country");
        // A demonym ("Chinese", "Afghan"), not the country's name or code
        // ("asked Pakistan to", "U.S. forces").
        let said = self.items[idx].span.slice(self.text);
        let said = said
            .strip_suffix("'s")
            .or_else(|| said.strip_suffix("’s"))
            .unwrap_or(said);
        let coded = ent
            .attributes
            .get("abbreviations")
            .and_then(|a| a.as_array())
            .is_some_and(|a| a.iter().any(|x| x.as_str() == Some(said)));
        let demonym = said != ent.name && !coded && !said.contains('.');
        let country = country && demonym;
        let noun = self.seg.tokens[tok].kind == TokenKind::Word
            && self.items[idx + 1]
                .span
                .slice(self.text)
                .starts_with(char::is_lowercase);
        let locative = idx > 0
            && matches!(
                self.folded(idx - 1),
                Some(
                    "in" | "at"
                        | "near"
                        | "inside"
                        | "outside"
                        | "across"
                        | "into"
                        | "from"
                        | "on"
                        | "along"
                        | "to"
                        | "throughout"
                )
            );
        country && noun && !locative
    }

    /// Whether the place at item `idx` modifies a name that follows it
    /// ("U.S. Secretary of State Marco Rubio", "Pakistan Shehbaz Sharif"):
    /// then it is not where the fact happened.
    fn is_modifier(&self, idx: usize) -> bool {
        // A wire dateline ("LAHORE, 18 March 2025: ..."; "QUETTA — ...")
        // says where the report was filed, not where the fact happened.
        if idx == 0
            && matches!(self.folded(1), Some("," | "—" | "-" | "(" | ":"))
            && self.items.first().is_some_and(|i| {
                let t = i.span.slice(self.text);
                t.chars().filter(|c| c.is_alphabetic()).count() >= 3
                    && !t.chars().any(char::is_lowercase)
            })
        {
            return true;
        }
        // Someone's home ("Havildar X, resident of District Kohat"; "a
        // native of Swat") is not where the fact happened either.
        if (idx.saturating_sub(4)..idx).any(|k| {
            matches!(
                self.folded(k),
                Some("resident" | "residents" | "native" | "natives" | "hailing" | "hometown")
            )
        }) {
            return true;
        }
        // A place that names another event ("involved in the Srinagar
        // grenade attack", "after the Pahalgam massacre") is not this one's.
        if idx > 0
            && matches!(self.folded(idx - 1), Some("the" | "a" | "an"))
            && matches!(
                self.folded(idx + 1),
                Some(
                    "attack"
                        | "attacks"
                        | "grenade"
                        | "bombing"
                        | "bombings"
                        | "blast"
                        | "blasts"
                        | "massacre"
                        | "killings"
                        | "ambush"
                        | "carnage"
                        | "shooting"
                        | "conspiracy"
                        | "module"
                        | "case"
                )
            )
        {
            return true;
        }
        match self.items.get(idx + 1).map(|i| (i.kind, i.span)) {
            Some((ItemKind::Ent(e), _)) => self.entities[e].etype != EntityType::Place,
            Some((ItemKind::Tok { tok, .. }, span)) => {
                self.seg.tokens[tok].kind == TokenKind::Word
                    && span.slice(self.text).starts_with(char::is_uppercase)
            }
            _ => false,
        }
    }

    /// The date that frames a sentence or one of its lines: the last date
    /// of an opening adverbial that a comma closes ("On 10 April 2025,
    /// ..."; "Earlier this year, on January 6, ..."). A line may open
    /// inside a sentence (a title line without a period before it).
    fn framing_date(&self) -> Option<(usize, Span)> {
        let line_start = |k: usize| {
            k == 0
                || self
                    .text
                    .get(self.items[k - 1].span.end..self.items[k].span.start)
                    .is_some_and(|gap| gap.contains('\n'))
        };
        for start in (0..self.items.len()).filter(|&k| line_start(k)) {
            let mut k = start;
            let mut last = None;
            let mut closed = false;
            while k < self.items.len() {
                match self.date_at(k) {
                    Some(d) => {
                        last = Some(d);
                        closed = false;
                    }
                    None => match self.folded(k) {
                        Some(",") => closed = true,
                        Some("on" | "in") => closed = false,
                        _ => break,
                    },
                }
                k += 1;
            }
            if closed && last.is_some() {
                return last;
            }
        }
        None
    }

    /// The one date or time inside `evidence` that a preposition
    /// introduces ("on Sunday evening", "in March 2024"), as its date.
    /// A time's value ("2024-06-09TEV") is the event's time too.
    fn adverbial_time(&self, evidence: Span) -> Option<(usize, Span)> {
        let mut found = None;
        for (k, it) in self.items.iter().enumerate() {
            let ItemKind::Val(v) = it.kind else { continue };
            if !matches!(self.values[v].vtype, ValueType::Date | ValueType::Time)
                || !evidence.contains(it.span)
                || k == 0
                || !matches!(self.folded(k - 1), Some("on" | "in" | "during"))
            {
                continue;
            }
            if found.is_some() {
                return None;
            }
            found = Some((v, it.span));
        }
        found
    }

    /// The date of the clause that states `evidence`, in a sentence with
    /// several dates: one that a preposition introduces right after the
    /// evidence, in the same clause ("conducted 59,775 operations across
    /// the country during 2024"), else the nearest before it in the same
    /// clause ("The budget for FY2025-26 raised ..."), reached back across
    /// relative and contrast clauses, which take the time of the clause
    /// they hang on ("... during 2024, in which 925 terrorists were
    /// killed, while 383 soldiers embraced shahadat").
    fn clause_time(&self, evidence: Span) -> Option<(usize, Span)> {
        const INTRO: &[&str] = &["in", "during", "throughout", "over", "on", "for"];
        const BOUNDS: &[&str] = &[
            ",", ";", ".", ":", "and", "but", "while", "whereas", "which", "who", "that", "(", ")",
        ];
        const LINKS: &[&str] = &["which", "while", "whereas", "whom"];
        let introduced = |k: usize| k > 0 && self.folded(k - 1).is_some_and(|f| INTRO.contains(&f));
        let first = self
            .items
            .iter()
            .position(|i| i.span.end > evidence.start)?;
        let last = self
            .items
            .iter()
            .rposition(|i| i.span.start < evidence.end)?;
        if last < first {
            return None;
        }
        for k in last + 1..(last + 8).min(self.items.len()) {
            if let Some(d) = self.date_at(k) {
                if introduced(k) {
                    return Some(d);
                }
                break;
            }
            if self.folded(k).is_some_and(|f| BOUNDS.contains(&f)) {
                break;
            }
        }
        // "..., up from 265 in 2023": the date of the figure compared with,
        // not of the clause.
        let compared = |k: usize| {
            k >= 3
                && self.folded(k - 1) == Some("in")
                && matches!(self.folded(k - 3), Some("from" | "with" | "against"))
        };
        let mut linked = false;
        for k in (first.saturating_sub(30)..=first).rev() {
            if let Some(d) = self.date_at(k) {
                if compared(k) {
                    continue;
                }
                return introduced(k).then_some(d);
            }
            match self.folded(k) {
                Some(";" | "." | ":") => return None,
                Some(",") if !linked => return None,
                Some(",") => linked = false,
                Some(f) if LINKS.contains(&f) => linked = true,
                _ => {}
            }
        }
        None
    }

    /// `time` / `place` from the sentence's single date / place.
    fn fill(
        &self,
        kind: &str,
        evidence: Span,
        args: &mut BTreeMap<String, Arg>,
        owned: &dyn Fn(&Arg, Span) -> bool,
    ) {
        let used = |args: &BTreeMap<String, Arg>, want: &Arg| binds(args, want);
        if TIME_KINDS.contains(&kind) && !args.contains_key("time") && !args.contains_key("since") {
            let dates: Vec<(usize, Span)> = (0..self.items.len())
                .filter_map(|k| self.date_at(k))
                .collect();
            // One date, or a date that opens the sentence ("On 10 April
            // 2025, X was arrested ... the November 2008 attacks") and so
            // frames all of it.
            let opening = || {
                let k = usize::from(self.folded(0).is_some_and(|f| f == "on" || f == "in"));
                match (self.items.get(k).map(|i| i.kind), self.folded(k + 1)) {
                    (Some(ItemKind::Val(v)), Some(",")) => dates.iter().find(|d| d.0 == v).copied(),
                    _ => None,
                }
            };
            // "..., officials said on Thursday": the report's date, after
            // the event, is not the event's.
            // Nor is a date in a relative clause after the event, about
            // someone in it ("killed three khwarij, including Hafiz Sadiq,
            // who was wanted for the killing of two polio workers in 2024").
            let reported = |d: &(usize, Span)| {
                d.1.start >= evidence.end
                    && (self
                        .seg
                        .sentence_at(d.1.start)
                        .is_some_and(|s| reported_date(self.seg, s, d.1))
                        || self.items.iter().enumerate().any(|(k, it)| {
                            it.span.start >= evidence.end
                                && it.span.end <= d.1.start
                                && k > 0
                                && self.folded(k - 1) == Some(",")
                                && matches!(self.folded(k), Some("who" | "whom" | "whose"))
                        }))
            };
            let only_reported = matches!(dates[..], [d] if reported(&d));
            let one = match dates[..] {
                [_] if only_reported => None,
                [d] => Some(d),
                [_, _, ..] => self.framing_date().or_else(opening),
                _ => None,
            };
            // An event's own adverbial ("opened fire on a bus ... on Sunday
            // evening, killing nine") dates it before a dateline or the
            // time of a report in the same sentence.
            let one = match one {
                // The sentence's one date, unless it lies outside the
                // event and the event states its own ("opened fire ... on
                // Sunday evening, killing nine, police said on Monday").
                Some(d)
                    if dates.len() == 1
                        && (evidence.contains(d.1) || !PARAGRAPH_TIME_KINDS.contains(&kind)) =>
                {
                    Some(d)
                }
                other if PARAGRAPH_TIME_KINDS.contains(&kind) => {
                    self.adverbial_time(evidence).or(other)
                }
                other => other,
            };
            // Else the date of the fact's own clause, or of the clause a
            // relative or contrast clause hangs on ("..., in which 925
            // terrorists were killed, while 383 soldiers ...").
            // That date is shared with the clause it hangs on, even when
            // a fact there binds it.
            let (one, shared) = match one {
                Some(d) => (Some(d), false),
                None if only_reported => (None, false),
                None => (self.clause_time(evidence), true),
            };
            if let Some((v, span)) = one {
                let a = Arg::Value(v);
                if !used(args, &a) && (shared || !owned(&a, span)) {
                    args.insert("time".into(), Arg::Value(v));
                }
            }
        }
        if PLACE_KINDS.contains(&kind) && !args.contains_key("place") {
            // A place used as a modifier ("U.S. Secretary of State") is not
            // where the fact happened.
            let mut places: Vec<(&str, Span)> = Vec::new();
            for (idx, i) in self.items.iter().enumerate() {
                if let ItemKind::Ent(e) = i.kind {
                    let e = &self.entities[e];
                    if e.etype == EntityType::Place
                        && !self.is_modifier(idx)
                        && !self.is_country_adjective(idx)
                        && (!LOCATED_KINDS.contains(&kind) || self.after_locative(idx))
                        && !places.iter().any(|p| p.0 == e.id)
                    {
                        places.push((&e.id, i.span));
                    }
                }
            }
            // Of several places, the one stated with a locative ("shot dead
            // 23 men at Rarasham in Musakhel district, most of them from
            // Punjab").
            // (Attacks only: a kill's sentence often names the attack it
            // answered: "killed the gunmen who carried out the massacre at
            // Pahalgam, ... in an encounter on the outskirts of Srinagar".)
            if places.len() > 1 && kind == "attack" {
                let located: Vec<(&str, Span)> = self
                    .items
                    .iter()
                    .enumerate()
                    .filter_map(|(idx, i)| match i.kind {
                        ItemKind::Ent(e)
                            if self.entities[e].etype == EntityType::Place
                                && !self.is_modifier(idx)
                                && self.after_locative(idx) =>
                        {
                            Some((self.entities[e].id.as_str(), i.span))
                        }
                        _ => None,
                    })
                    .collect();
                if let [one] = located[..] {
                    places = vec![one];
                }
            }
            if let [(p, span)] = places[..] {
                let a = Arg::Entity(p.to_string());
                if !used(args, &a) && !owned(&a, span) {
                    args.insert("place".into(), a);
                }
            }
        }
    }
}

/// The dates a sentence holds.
#[derive(Debug, Clone, Copy, PartialEq)]
enum SentenceDates {
    None,
    One(usize),
    Several,
}

/// Kinds of events whose date a paragraph states once for several
/// sentences ("On 6 January 2025, militants detonated an IED ... Eight
/// soldiers were killed. ... 16 attackers were killed by security forces").
const PARAGRAPH_TIME_KINDS: &[&str] = &["attack", "kill", "arrest"];

/// The first entity of type `t` with a mention inside `span`.
fn entity_in(entities: &[Entity], t: EntityType, span: Span) -> Option<&Entity> {
    entities
        .iter()
        .find(|e| e.etype == t && e.mentions.iter().any(|m| span.contains(m.span)))
}

/// An attack without a target whose dead are counted as members of an
/// organization ("eight DRG personnel and the driver were killed", "four
/// Frontier Corps soldiers died") was an attack on that organization.
fn victims_target(entities: &[Entity], values: &[Value], facts: &mut [Fact]) {
    for f in facts.iter_mut() {
        if f.kind != "attack" || f.args.contains_key("target") {
            continue;
        }
        let first = match f.args.get("killed") {
            Some(Arg::Value(v)) => Some(*v),
            Some(Arg::List(l)) => l.iter().find_map(|a| match a {
                Arg::Value(v) => Some(*v),
                _ => None,
            }),
            _ => None,
        };
        let Some(span) = first.and_then(|v| values.get(v)).map(|v| v.span) else {
            continue;
        };
        // An organization, else a nationality ("five Chinese nationals and
        // their Pakistani driver were killed": an attack on China's).
        let org = entity_in(entities, EntityType::Organization, span)
            .or_else(|| entity_in(entities, EntityType::Place, span));
        if let Some(e) = org {
            f.args.insert("target".into(), Arg::Entity(e.id.clone()));
        }
    }
}

/// An argument a pattern bound to "he" or "she" ("he had given weapons
/// training to ...") names the latest person or official mentioned before
/// the fact in its paragraph, at most two sentences back; without one the
/// argument is dropped (a bare pronoun says nothing).
fn resolve_pronouns(seg: &Segmentation, entities: &[Entity], facts: &mut [Fact]) {
    let block = |s: usize| seg.sentences.get(s).map(|x| x.block);
    for f in facts.iter_mut() {
        let keys: Vec<String> = f
            .args
            .iter()
            .filter(|(_, a)| {
                matches!(a, Arg::Text(t) if t.eq_ignore_ascii_case("he") || t.eq_ignore_ascii_case("she"))
            })
            .map(|(k, _)| k.clone())
            .collect();
        if keys.is_empty() {
            continue;
        }
        let mut best: Option<(usize, &str)> = None;
        for e in entities
            .iter()
            .filter(|e| matches!(e.etype, EntityType::Person | EntityType::Official))
        {
            for m in &e.mentions {
                if m.span.end <= f.span.start
                    && m.sentence + 2 >= f.sentence
                    && block(m.sentence) == block(f.sentence)
                    && best.is_none_or(|b| m.span.start > b.0)
                {
                    best = Some((m.span.start, &e.id));
                }
            }
        }
        for k in keys {
            match best {
                Some((_, id)) => {
                    f.args.insert(k, Arg::Entity(id.to_string()));
                }
                None => {
                    f.args.remove(&k);
                }
            }
        }
    }
}

/// A person is arrested (or killed) once: a later arrest or kill of the
/// same named person ("The NIA's arrest of Rana came ...") refers back to
/// the first. It gives the first the arguments it lacks and is dropped.
fn same_person_event(facts: &mut Vec<Fact>) {
    let person = |f: &Fact| match f.args.get("target") {
        Some(Arg::Entity(id)) if id.starts_with("person:") || id.starts_with("official:") => {
            Some(id.clone())
        }
        _ => None,
    };
    let mut keep = vec![true; facts.len()];
    // A strike that kills a named person, read from the same words as an
    // attack too ("A U.S. drone strike kills ... Ayman al-Zawahiri"), is a
    // targeted killing: the kill.
    for j in 0..facts.len() {
        if facts[j].kind == "attack"
            && facts.iter().any(|k| {
                k.kind == "kill" && person(k).is_some() && k.span.start == facts[j].span.start
            })
        {
            keep[j] = false;
        }
    }
    for j in 0..facts.len() {
        if !matches!(facts[j].kind.as_str(), "arrest" | "kill") {
            continue;
        }
        let Some(target) = person(&facts[j]) else {
            continue;
        };
        let Some(first) = (0..j).find(|&i| {
            keep[i]
                && facts[i].kind == facts[j].kind
                && facts[i].sentence < facts[j].sentence
                && person(&facts[i]).as_deref() == Some(target.as_str())
        }) else {
            continue;
        };
        // Two different dates are two events.
        if let (Some(a), Some(b)) = (facts[first].args.get("time"), facts[j].args.get("time")) {
            if a != b {
                continue;
            }
        }
        let extra: Vec<(String, Arg)> = facts[j]
            .args
            .iter()
            .filter(|(k, v)| !facts[first].args.contains_key(*k) && !binds(&facts[first].args, v))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        facts[first].args.extend(extra);
        keep[j] = false;
    }
    let mut k = keep.into_iter();
    facts.retain(|_| k.next().unwrap_or(true));
}

/// A kill without a target whose count names who was killed with a proper
/// name ("killed 10 suspected Kuki-Zo militants", "six Meitei women and
/// children were found dead") has that noun phrase as its target; a bare
/// class noun ("22 militants") names no target.
/// The group whose members a one-word plural noun names after the last word
/// of one of its mentions in the text: "Maoists" for "CPI (Maoist)". A
/// modifier ("Afghan" of "Afghan Taliban") names no group.
fn members_of(text: &str, entities: &[Entity], noun: &str) -> Option<String> {
    let stem = noun.strip_suffix('s')?;
    if stem.len() < 3 || !stem.starts_with(char::is_uppercase) || stem.contains(char::is_whitespace)
    {
        return None;
    }
    let mut found: Option<&str> = None;
    for e in entities.iter().filter(|e| e.etype == EntityType::Group) {
        let named = e.mentions.iter().any(|m| {
            let mut words = m
                .span
                .slice(text)
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty());
            words.next_back() == Some(stem) && words.next().is_some()
        });
        if named {
            if found.is_some_and(|f| f != e.id) {
                return None;
            }
            found = Some(&e.id);
        }
    }
    found.map(str::to_string)
}

fn kill_target_from_noun(text: &str, entities: &[Entity], values: &[Value], facts: &mut [Fact]) {
    for f in facts.iter_mut() {
        if f.kind != "kill" || f.args.contains_key("target") {
            continue;
        }
        let Some(Arg::Value(v)) = f.args.get("count") else {
            continue;
        };
        // A group named in the count ("five Maoists", "12 TTP militants")
        // is the target.
        if let Some(span) = values.get(*v).map(|v| v.span) {
            if let Some(g) = entity_in(entities, EntityType::Group, span) {
                f.args.insert("target".into(), Arg::Entity(g.id.clone()));
                continue;
            }
        }
        let Some(noun) = values.get(*v).and_then(|v| v.noun.as_deref()) else {
            continue;
        };
        // A group's members named after its last word ("five Maoists"
        // in a text about the "CPI (Maoist)").
        if let Some(g) = members_of(text, entities, noun.trim()) {
            f.args.insert("target".into(), Arg::Entity(g));
            continue;
        }
        let mut words: Vec<&str> = noun.split_whitespace().collect();
        while words
            .first()
            .is_some_and(|w| matches!(w.to_lowercase().as_str(), "suspected" | "alleged" | "armed"))
        {
            words.remove(0);
        }
        if words.len() >= 2 && words.iter().any(|w| w.starts_with(char::is_uppercase)) {
            let start = noun.len() - noun.trim_start().len();
            let text = &noun[start..];
            let skip = text.len() - words.join(" ").len();
            let target = text.get(skip..).unwrap_or(text).trim().to_string();
            f.args.insert("target".into(), Arg::Text(target));
        }
    }
}

/// An event fact without a time takes the date of the nearest sentence
/// before it in its paragraph (up to three back) that states one, when that
/// sentence states exactly one.
///
/// A kill or arrest without a place takes the place (the narrowest, first
/// one) of the nearest attack before it in its paragraph: the operation that
/// answered an attack happened where it did.
fn paragraph_time(
    seg: &Segmentation,
    values: &[Value],
    dates: &[SentenceDates],
    places: &[Option<Option<String>>],
    locatives: &[Option<Vec<String>>],
    headers: &[Option<String>],
    facts: &mut [Fact],
) {
    let block_of = |s: usize| seg.sentences.get(s).map(|x| x.block);
    // Counts without a place take the single place of the
    // sentence before them in the paragraph ("... deaths in Pakistan rose by
    // 45 percent. The number of recorded attacks more than doubled ...").
    for f in facts.iter_mut() {
        if f.kind != "count"
            || f.args.contains_key("place")
            || f.sentence == 0
            || places.get(f.sentence) != Some(&None)
        {
            continue;
        }
        let s = f.sentence - 1;
        if block_of(s) != block_of(f.sentence) {
            continue;
        }
        if let Some(Some(Some(p))) = places.get(s) {
            let a = Arg::Entity(p.clone());
            if !binds(&f.args, &a) {
                f.args.insert("place".into(), a);
            }
        }
    }
    for i in 0..facts.len() {
        let f = &facts[i];
        if !matches!(f.kind.as_str(), "kill" | "arrest") || f.args.contains_key("place") {
            continue;
        }
        // A kill happened where the operation of the sentence before it in
        // its paragraph was ("... conducted an operation in Bajaur District.
        // ... 22 militants were killed."), unless an attack nearer to it
        // located it.
        let operation = (f.kind == "kill" && f.sentence > 0)
            .then(|| f.sentence - 1)
            .filter(|&s| block_of(s) == block_of(f.sentence))
            .and_then(|s| locatives.get(s).cloned().flatten().map(|p| (s, p)));
        let attack = facts[..i]
            .iter()
            .rev()
            .take_while(|a| {
                a.sentence + 3 >= f.sentence && block_of(a.sentence) == block_of(f.sentence)
            })
            .find(|a| a.kind == "attack" && a.sentence < f.sentence)
            .and_then(|a| {
                let p = match a.args.get("place") {
                    Some(Arg::List(items)) => items.first().cloned(),
                    other => other.cloned(),
                };
                p.map(|p| (a.sentence, p))
            });
        let list = |mut po: Vec<String>| {
            if po.len() == 1 {
                Arg::Entity(po.remove(0))
            } else {
                Arg::List(po.into_iter().map(Arg::Entity).collect())
            }
        };
        let place = match (attack, operation) {
            (Some((sa, pa)), Some((so, po))) => Some(if so > sa { list(po) } else { pa }),
            (Some((_, pa)), None) => Some(pa),
            (None, Some((_, po))) => Some(list(po)),
            (None, None) => None,
        };
        if let Some(p) = place {
            if !binds(&facts[i].args, &p) {
                facts[i].args.insert("place".into(), p);
            }
        }
    }
    // An incident entry's header place locates its events that state none.
    for f in facts.iter_mut() {
        if !matches!(f.kind.as_str(), "attack" | "kill" | "arrest") || f.args.contains_key("place")
        {
            continue;
        }
        let Some(Some(p)) = block_of(f.sentence).and_then(|b| headers.get(b)) else {
            continue;
        };
        let a = Arg::Entity(p.clone());
        if !binds(&f.args, &a) {
            f.args.insert("place".into(), a);
        }
    }
    for f in facts.iter_mut() {
        if !PARAGRAPH_TIME_KINDS.contains(&f.kind.as_str())
            || f.args.contains_key("time")
            || f.args.contains_key("since")
            || dates.get(f.sentence) != Some(&SentenceDates::None)
        {
            continue;
        }
        let Some(block) = seg.sentences.get(f.sentence).map(|s| s.block) else {
            continue;
        };
        for s in (f.sentence.saturating_sub(3)..f.sentence).rev() {
            if seg.sentences[s].block != block {
                break;
            }
            match dates[s] {
                SentenceDates::None => continue,
                SentenceDates::One(v) => {
                    let a = Arg::Value(v);
                    if !binds(&f.args, &a) {
                        f.args.insert("time".into(), a);
                    }
                    break;
                }
                // Of several, the one most specific date ("Four months
                // later, on 11 March 2025, ...": the day, not the month).
                SentenceDates::Several => {
                    let stated: Vec<(usize, usize)> = values
                        .iter()
                        .enumerate()
                        .filter(|(_, v)| v.sentence == s && v.vtype == ValueType::Date)
                        .filter_map(|(i, v)| {
                            v.value
                                .as_str()
                                .filter(|x| !x.contains('X'))
                                .map(|x| (i, x.len()))
                        })
                        // "..., the military said on Friday": the date of
                        // the report, not of the event the paragraph tells.
                        .filter(|&(i, _)| !reported_date(seg, s, values[i].span))
                        .collect();
                    let finest = stated.iter().map(|x| x.1).max().unwrap_or(0);
                    let mut best = stated.iter().filter(|x| x.1 == finest);
                    if let (Some(&(v, _)), None) = (best.next(), best.next()) {
                        let a = Arg::Value(v);
                        if !binds(&f.args, &a) {
                            f.args.insert("time".into(), a);
                        }
                    }
                    break;
                }
            }
        }
    }
}

/// Whether the date at `span` in sentence `s` dates a report: a verb of
/// saying up to six tokens before it ("the ISPR said on Friday", "told
/// reporters in Kabul on Sunday").
fn reported_date(seg: &Segmentation, s: usize, span: Span) -> bool {
    let Some(sent) = seg.sentences.get(s) else {
        return false;
    };
    sent.tokens
        .clone()
        .rev()
        .filter(|&t| seg.tokens[t].span.end <= span.start)
        .take(6)
        .any(|t| {
            matches!(
                seg.folded(t),
                "said" | "told" | "announced" | "added" | "confirmed" | "stated"
            )
        })
}

/// Whether `args` binds `want` (directly or in a list).
fn binds(args: &BTreeMap<String, Arg>, want: &Arg) -> bool {
    args.values().any(|a| match a {
        Arg::List(items) => items.contains(want),
        a => a == want,
    })
}

/// Means by firearms, as opposed to explosives and strikes.
const FIREARM_MEANS: &[&str] = &["gunfire", "ambush"];

/// Two attacks, one by firearms and one by explosives ("gunmen killed
/// civilians ..., and a bomb planted at the site killed two children"), are
/// two attacks. (Two names of one blast, "bomb" and "roadside bomb", are
/// one.)
fn other_means(a: &Fact, b: &Fact) -> bool {
    a.kind == "attack"
        && matches!((a.args.get("means"), b.args.get("means")), (Some(Arg::Text(x)), Some(Arg::Text(y)))
            if FIREARM_MEANS.contains(&x.as_str()) != FIREARM_MEANS.contains(&y.as_str()))
}

/// Of two attacks by different means in one sentence, one read over the
/// other's clause ("gunmen killed civilians in Dangri, and a bomb planted
/// at the site killed two children"), the casualties and targets the
/// narrower one binds are its own, not the wider one's.
fn separate_means(facts: &mut [Fact]) {
    for i in 0..facts.len() {
        for j in 0..facts.len() {
            let (wide, narrow) = (&facts[i], &facts[j]);
            if i == j
                || !other_means(wide, narrow)
                || !wide.span.contains(narrow.span)
                || wide.span == narrow.span
            {
                continue;
            }
            let taken: Vec<String> = wide
                .args
                .iter()
                .filter(|(k, v)| {
                    matches!(k.as_str(), "killed" | "injured" | "target") && binds(&narrow.args, v)
                })
                .map(|(k, _)| k.clone())
                .collect();
            for k in taken {
                facts[i].args.remove(&k);
            }
        }
    }
}

/// Drops facts (from `start` on, one sentence's) whose arguments another fact
/// of the same kind already holds, or whose evidence overlaps a fact of the
/// same kind with more arguments (equal ones keep the first rule's).
fn dedupe(facts: &mut Vec<Fact>, start: usize, joining: &[bool]) {
    let n = facts.len();
    separate_means(&mut facts[start..]);
    let mut keep = vec![true; n - start];
    // A fact of a `join` rule completes its hosts in `join`, which decides
    // which of them it is about ("..., both claimed by ..."); it is no
    // duplicate of a host whose words it shares.
    let joins = |i: usize| joining.get(i - start).copied().unwrap_or(false);
    for i in start..n {
        for j in start..n {
            if i == j || !keep[j - start] || facts[i].kind != facts[j].kind || joins(i) != joins(j)
            {
                continue;
            }
            let (a, b) = (&facts[i].args, &facts[j].args);
            let same = a.iter().all(|(k, v)| b.get(k) == Some(v));
            // Two counts of different numbers are two facts, however
            // their words overlap ("from 517 in 2023 to 1,099 in 2024").
            let other_count = facts[i].kind == "count"
                && matches!((a.get("count"), b.get("count")), (Some(x), Some(y)) if x != y);
            let overlaps = facts[i].span.overlaps(facts[j].span)
                && !other_count
                && !other_means(&facts[i], &facts[j]);
            if (same || overlaps) && (b.len() > a.len() || (b.len() == a.len() && j < i)) {
                // Two patterns that read the same words may each have found
                // part of the fact: the kept one takes the other's missing
                // arguments ("gunmen of the LeT killed 166 people in Mumbai").
                if overlaps && MERGE_KINDS.contains(&facts[i].kind.as_str()) {
                    let extra: Vec<(String, Arg)> = facts[i]
                        .args
                        .iter()
                        .filter(|(k, v)| {
                            !facts[j].args.contains_key(*k) && !binds(&facts[j].args, v)
                        })
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect();
                    facts[j].args.extend(extra);
                    // Both located it: the places of both ("attacked Crocus
                    // City Hall near Moscow" and "... near Moscow ...").
                    if let (Some(mine), Some(theirs)) =
                        (facts[i].args.get("place"), facts[j].args.get("place"))
                    {
                        let flat = |a: &Arg| match a {
                            Arg::List(l) => l.clone(),
                            other => vec![other.clone()],
                        };
                        let (mine, mut all) = (flat(mine), flat(theirs));
                        let before = all.len();
                        for (k, m) in mine.into_iter().enumerate() {
                            if !all.contains(&m) {
                                all.insert(k.min(all.len()), m);
                            }
                        }
                        if all.len() > before {
                            facts[j].args.insert("place".into(), Arg::List(all));
                        }
                    }
                }
                keep[i - start] = false;
                break;
            }
        }
    }
    let mut k = keep.into_iter();
    let mut idx = 0;
    facts.retain(|_| {
        let r = idx < start || k.next().unwrap_or(true);
        idx += 1;
        r
    });
    // Merging may have given the wide one its means only now.
    separate_means(&mut facts[start..]);
}
