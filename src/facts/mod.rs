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

/// Kinds of events that have their own time and place. Their sentence-level
/// place must be stated with a locative ("talks in Islamabad"): the subject
/// of such a sentence ("Pakistan reaffirmed ... when ... had a phone call") is
/// a party, not the place. And a date or place bound by another fact of the
/// same kind in the sentence belongs to that fact, not to the sentence (two
/// meetings in one sentence keep their own times), while facts of other kinds
/// (several counts in one sentence) share them.
const LOCATED_KINDS: &[&str] = &["meeting", "statement", "cooperation", "training"];

/// Arguments that the contract (DESIGN.md) defines as lists.
const LIST_ARGS: &[&str] = &["participants", "parties"];

use rust_stemmers::{Algorithm, Stemmer};
use serde_json::Value as Json;

use crate::document::Document;
use crate::layers::{Arg, Entity, EntityType, Fact, Value, ValueType};
use crate::pipeline::{Example, Expect};
use crate::rules::{RuleError, RuleFile, RulePack};
use crate::segment::{Segmentation, TokenKind};
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
    /// `from = "attribution"`: statements found by [`claims::statements`].
    attribution: Option<String>,
    vocab: Vocab,
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
        for (file, t, id) in fact_entries(pack) {
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
                        | "from"
                        | "note"
                ) {
                    errors.push(file.error(
                        idr,
                        Some(key),
                        format!(
                            "unknown key `{key}` (expected id, kind, pattern, patterns, args, \
                             set, fill, from, examples, note)"
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
                match pattern::compile(src, &mut vocab, &stemmer) {
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
            if errors.len() == before {
                rules.push(Rule {
                    rule: file.rule_id(&id),
                    kind,
                    patterns,
                    args,
                    fill,
                });
            }
        }
        if errors.is_empty() {
            Ok(FactRules {
                rules,
                roles,
                attribution,
                vocab,
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
        let mut present = vec![0u64; self.vocab.len().div_ceil(64).max(1)];
        let mut cache: HashMap<&str, (u32, u32), FxBuild> = HashMap::default();
        let mut tok_ids: Vec<u32> = Vec::new();
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
                &mut |t| self.token_ids(seg, t, &mut cache, &mut tok_ids),
                &mut items,
            );
            present.iter_mut().for_each(|w| *w = 0);
            let mut mask = 0u32;
            for it in &items {
                match it.kind {
                    ItemKind::Tok { a, b, .. } => {
                        for &id in &tok_ids[a as usize..b as usize] {
                            present[id as usize / 64] |= 1 << (id % 64);
                        }
                    }
                    ItemKind::Ent(e) => mask |= 1 << (entities[e].etype as u32),
                    ItemKind::Val(v) => mask |= 1 << (5 + values[v].vtype as u32),
                    ItemKind::Quote { .. } => mask |= 1 << 13,
                }
            }
            let ctx = Ctx {
                ids: &tok_ids,
                text: &doc.text,
                seg,
                items: &items,
                entities,
                values,
            };
            let start = facts.len();
            let mut fills = Vec::new();
            for rule in &self.rules {
                for p in &rule.patterns {
                    let ok_words = p.required_words.iter().all(|ids| {
                        ids.iter()
                            .any(|&id| present[id as usize / 64] & (1 << (id % 64)) != 0)
                    });
                    if !ok_words || !p.required_types.iter().all(|&m| mask & m != 0) {
                        continue;
                    }
                    let mut pos = 0;
                    let mut binds = Vec::new();
                    while pos < items.len() {
                        if !ctx.can_start(p, pos) {
                            pos += 1;
                            continue;
                        }
                        binds.clear();
                        let mut budget = STEP_BUDGET;
                        match ctx.run(p, 0, pos, &mut binds, &mut budget) {
                            Some(end) if end > pos => {
                                facts.push(ctx.fact(rule, p, si, pos, end, &binds));
                                fills.push(rule.fill);
                                pos = end;
                            }
                            _ => pos += 1,
                        }
                    }
                }
            }
            ctx.fill_all(&mut facts[start..], &fills);
            dedupe(&mut facts, start);
        }
        if let Some(role) = &self.roles {
            claims::roles(&role.rule, doc, seg, entities, values, &mut facts);
        }
        if let Some(rule) = &self.attribution {
            claims::statements(rule, doc, seg, entities, values, &mut facts);
        }
        facts
    }
}

/// A fast hasher for the per-document cache of token forms (the FxHash
/// step: multiply and rotate, a word at a time).
#[derive(Default, Clone, Copy)]
struct Fx(u64);

impl std::hash::Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut w = [0u8; 8];
            w[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
}

type FxBuild = std::hash::BuildHasherDefault<Fx>;

/// Literals this long or longer also match as a prefix of the folded form.
const MIN_PREFIX: usize = 5;

impl FactRules {
    /// The vocabulary ids token `t` matches (its folded form, its stem, and
    /// every literal that is a prefix of its folded form), cached per form.
    fn token_ids<'s>(
        &self,
        seg: &'s Segmentation,
        t: usize,
        cache: &mut HashMap<&'s str, (u32, u32), FxBuild>,
        buf: &mut Vec<u32>,
    ) -> (u32, u32) {
        let folded = seg.folded(t);
        if let Some(&r) = cache.get(folded) {
            return r;
        }
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
        for (k, _) in folded.char_indices().skip(MIN_PREFIX) {
            push(self.vocab.get(&folded[..k]), buf);
        }
        let r = (a, buf.len() as u32);
        cache.insert(folded, r);
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

const LIST_SEPARATORS: &[&str] = &[",", "and", "or", "the", "-", "/", "&", "as", "well"];
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
                v.vtype == *vt && unit.as_ref().is_none_or(|u| v.unit.as_deref() == Some(u))
            }
            (SlotType::Quote, ItemKind::Quote { .. }) => true,
            _ => false,
        }
    }

    /// Whether a match of `p` can start at item `pos`.
    fn can_start(&self, p: &Pattern, pos: usize) -> bool {
        let Some(first) = &p.first else { return true };
        first.iter().any(|inst| match inst {
            Inst::Word(ids) => match self.items[pos].kind {
                ItemKind::Tok { a, b, .. } => self.ids[a as usize..b as usize]
                    .iter()
                    .any(|id| ids.contains(id)),
                _ => false,
            },
            Inst::Slot(s) => {
                let slot = &p.slots[*s];
                slot.types.iter().any(|t| match t {
                    SlotType::Name | SlotType::Text => true,
                    SlotType::Entity(_) => self.accepts(t, pos) || self.folded(pos) == Some("the"),
                    t => self.accepts(t, pos),
                }) || slot.types.is_empty()
            }
            _ => true,
        })
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
                    ItemKind::Tok { tok, .. } => {
                        self.seg.tokens[tok].kind == TokenKind::Word
                            && item.span.slice(self.text).starts_with(char::is_uppercase)
                    }
                    _ => false,
                };
                if !ok {
                    break;
                }
                i += 1;
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
            let mut i = end;
            loop {
                let mut j = i;
                while j < i + 3 && self.folded(j).is_some_and(|f| LIST_SEPARATORS.contains(&f)) {
                    j += 1;
                }
                if j > i && one(j) && !det(j) {
                    end = j + 1;
                    i = end;
                } else {
                    break;
                }
            }
        }
        Some(end)
    }

    fn run(
        &self,
        p: &Pattern,
        mut pc: usize,
        mut pos: usize,
        binds: &mut Vec<Bind>,
        budget: &mut u32,
    ) -> Option<usize> {
        loop {
            match &p.prog[pc] {
                Inst::Word(ids) => match self.items.get(pos).map(|i| i.kind) {
                    Some(ItemKind::Tok { a, b, .. })
                        if self.ids[a as usize..b as usize]
                            .iter()
                            .any(|id| ids.contains(id)) =>
                    {
                        pos += 1;
                        pc += 1;
                    }
                    _ => return None,
                },
                Inst::Any => {
                    if pos >= self.items.len() {
                        return None;
                    }
                    pos += 1;
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
                    let mark = binds.len();
                    if let Some(end) = self.run(p, *a, pos, binds, budget) {
                        return Some(end);
                    }
                    binds.truncate(mark);
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
        if text_slot {
            let mut s = b.start;
            if slot.types.contains(&SlotType::Name)
                && self.folded(s).is_some_and(|f| DETERMINERS.contains(&f))
            {
                s += 1;
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
        match out.len() {
            0 => None,
            1 if !slot.list => out.pop(),
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
            self.fill(&kind, &mut args, &owned);
            facts[i].args = args;
        }
    }

    /// Whether item `idx` follows a locative preposition, possibly with a
    /// determiner between ("in the Kurram district").
    fn after_locative(&self, idx: usize) -> bool {
        let mut j = idx;
        for _ in 0..2 {
            if j == 0 {
                return false;
            }
            j -= 1;
            match self.folded(j) {
                Some(f) if LOCATIVES.contains(&f) => return true,
                Some("the") => continue,
                _ => return false,
            }
        }
        false
    }

    /// Whether the place at item `idx` modifies a name that follows it
    /// ("U.S. Secretary of State Marco Rubio", "Pakistan Shehbaz Sharif"):
    /// then it is not where the fact happened.
    fn is_modifier(&self, idx: usize) -> bool {
        match self.items.get(idx + 1).map(|i| (i.kind, i.span)) {
            Some((ItemKind::Ent(e), _)) => self.entities[e].etype != EntityType::Place,
            Some((ItemKind::Tok { tok, .. }, span)) => {
                self.seg.tokens[tok].kind == TokenKind::Word
                    && span.slice(self.text).starts_with(char::is_uppercase)
            }
            _ => false,
        }
    }

    /// `time` / `place` from the sentence's single date / place.
    fn fill(
        &self,
        kind: &str,
        args: &mut BTreeMap<String, Arg>,
        owned: &dyn Fn(&Arg, Span) -> bool,
    ) {
        let used = |args: &BTreeMap<String, Arg>, want: &Arg| binds(args, want);
        if TIME_KINDS.contains(&kind) && !args.contains_key("time") && !args.contains_key("since") {
            let dates: Vec<(usize, Span)> = self
                .items
                .iter()
                .filter_map(|i| match i.kind {
                    ItemKind::Val(v) if self.values[v].vtype == ValueType::Date => {
                        Some((v, i.span))
                    }
                    _ => None,
                })
                .collect();
            if let [(v, span)] = dates[..] {
                let a = Arg::Value(v);
                if !used(args, &a) && !owned(&a, span) {
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
                        && (!LOCATED_KINDS.contains(&kind) || self.after_locative(idx))
                        && !places.iter().any(|p| p.0 == e.id)
                    {
                        places.push((&e.id, i.span));
                    }
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

/// Whether `args` binds `want` (directly or in a list).
fn binds(args: &BTreeMap<String, Arg>, want: &Arg) -> bool {
    args.values().any(|a| match a {
        Arg::List(items) => items.contains(want),
        a => a == want,
    })
}

/// Drops facts (from `start` on, one sentence's) whose arguments another fact
/// of the same kind already holds, or whose evidence overlaps a fact of the
/// same kind with more arguments (equal ones keep the first rule's).
fn dedupe(facts: &mut Vec<Fact>, start: usize) {
    let n = facts.len();
    let mut keep = vec![true; n - start];
    for i in start..n {
        for j in start..n {
            if i == j || !keep[j - start] || facts[i].kind != facts[j].kind {
                continue;
            }
            let (a, b) = (&facts[i].args, &facts[j].args);
            let covers =
                a.iter().all(|(k, v)| b.get(k) == Some(v)) || facts[i].span.overlaps(facts[j].span);
            if covers && (b.len() > a.len() || (b.len() == a.len() && j < i)) {
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
}
