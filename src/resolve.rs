//! Resolve: settle overlapping candidates by priority and group mentions into
//! entities (aliases, abbreviations defined in the text, surname-only
//! mentions); unknown capitalized names become diagnostics.
//!
//! # Overlaps
//!
//! Candidates are taken greedily in this order, each kept only when it
//! overlaps none kept before:
//!
//! 1. the longer span wins ("Pakistani Kashmir" over the demonym "Pakistani");
//! 2. then the higher [`Candidate::priority`]: curated dictionary
//!    ([`crate::matcher::PRIO_CURATED`]) over the generated world list over
//!    patterns;
//! 3. then the earlier start, then the id (so the result is deterministic).
//!
//! # Grouping
//!
//! - "Full Name (ABBR)": the abbreviation binds to Full Name's entity for the
//!   rest of the document, over any dictionary meaning.
//! - A capitalized surname alone ("Sharif said", "Naqvi’s") joins the most
//!   recent earlier person or official whose name ends with it.
//! - Demonyms carry their country's id, so "Indian" is a mention of India.
//! - Entities come out in order of first mention, mentions in text order.

use std::collections::BTreeMap;

use crate::segment::BuildWordHasher;

// Keys are mostly words and ids: the word hasher reads them eight bytes at
// a time. (No map here is iterated, so the hasher never shows in output.)
type HashMap<K, V> = std::collections::HashMap<K, V, BuildWordHasher>;
type HashSet<K> = std::collections::HashSet<K, BuildWordHasher>;

use crate::document::Document;
use crate::layers::{Diagnostic, Entity, EntityType, Mention, Value};
use crate::matcher::{Candidate, PRIO_GENERATED};
use crate::segment::{BlockKind, Segmentation, TokenKind};
use crate::span::{overlaps_kept, Span};

/// Capitalized words that start sentences or headings and name nothing.
fn is_common(w: &str) -> bool {
    crate::matcher::is_function_or_calendar_word(w)
        || matches!(
            w,
            "despite"
                | "during"
                | "according"
                | "following"
                | "further"
                | "however"
                | "meanwhile"
                | "there"
                | "here"
                | "our"
                | "my"
                | "mr"
                | "mrs"
                | "ms"
                | "dr"
        )
        || is_quantity_word(w)
}

/// Number and quantity words that start sentences ("Ten Maoists were
/// killed", "Two AK rifles were seized", "Several Levies men").
fn is_quantity_word(w: &str) -> bool {
    matches!(
        w,
        "one"
            | "two"
            | "three"
            | "four"
            | "five"
            | "six"
            | "seven"
            | "eight"
            | "nine"
            | "ten"
            | "eleven"
            | "twelve"
            | "twenty"
            | "thirty"
            | "forty"
            | "fifty"
            | "hundred"
            | "hundreds"
            | "thousands"
            | "dozens"
            | "several"
            | "both"
            | "all"
            | "some"
            | "many"
            | "most"
            | "each"
            | "every"
    )
}

/// Entities in order of first mention, and diagnostics.
pub fn resolve(
    doc: &Document,
    seg: &Segmentation,
    candidates: Vec<Candidate>,
    _values: &[Value],
) -> (Vec<Entity>, Vec<Diagnostic>) {
    let text = doc.text.as_str();
    let (blockers, candidates): (Vec<Candidate>, Vec<Candidate>) =
        candidates.into_iter().partition(|c| c.blocker);
    let mut candidates = candidates;
    split_namesakes(&mut candidates);
    let (mut kept, stash) = settle(candidates);
    drop_foreign_world_places(text, &mut kept);
    drop_demonyms_in_names(text, seg, &mut kept);
    merge_name_variants(&mut kept);
    bind_defined_abbreviations(text, seg, &mut kept);
    join_surnames(text, seg, &mut kept);
    kept.sort_by_key(|c| (c.span.start, c.span.end));
    let diagnostics = unknown_names(text, seg, &kept, &blockers);
    // Indexes and metrics ("Global Terrorism Index") hold their words
    // against other readings but are not entities.
    kept.retain(|c| !is_metric(c));
    let mut entities = group(seg, kept);
    for e in &mut entities {
        if let Some(attrs) = stash.get(&e.id) {
            for (k, v) in attrs {
                e.attributes.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
    }
    (entities, diagnostics)
}

/// A place of the generated world list whose country the document names in
/// no other way (no place, demonym, official or body of that country), set
/// in a locative chain with a place of another country ("an encounter at
/// Asan near Akhnoor in Jammu district" is no city of South Korea): it is
/// a local place the lists lack, and its words become an unknown name. A
/// foreign city named alone ("arms depots in Kharkiv") stays.
fn drop_foreign_world_places(text: &str, kept: &mut Vec<Candidate>) {
    if !kept
        .iter()
        .any(|c| c.priority == PRIO_GENERATED && c.etype == EntityType::Place)
    {
        return;
    }
    // A place's country, or the country an official or a body belongs to
    // ("pk" or "place:pk").
    let country_of = |c: &Candidate| -> Option<String> {
        c.attributes
            .get("country")
            .and_then(|v| v.as_str())
            .map(|v| {
                if v.starts_with("place:") {
                    v.to_string()
                } else {
                    format!("place:{v}")
                }
            })
            .or_else(|| {
                (c.etype == EntityType::Place
                    && c.attributes.get("kind").is_some_and(|k| k == "country"))
                .then(|| c.id.clone())
            })
            .or_else(|| {
                // Districts and cities carry their country's code first
                // ("place:in-akhnoor").
                let local = c.id.strip_prefix("place:")?;
                let (code, rest) = local.split_once('-')?;
                (code.len() == 2
                    && !rest.is_empty()
                    && code.bytes().all(|b| b.is_ascii_lowercase()))
                .then(|| format!("place:{code}"))
            })
    };
    let named: Vec<(String, String)> = kept
        .iter()
        .filter_map(|c| country_of(c).map(|k| (k, c.id.clone())))
        .collect();
    // Words that chain places into one locative phrase.
    let chain = |gap: &str| {
        let words: Vec<&str> = gap
            .split(|ch: char| ch.is_whitespace() || ch == ',')
            .filter(|w| !w.is_empty())
            .collect();
        !words.is_empty()
            && words.len() <= 4
            && words.iter().all(|w| {
                matches!(
                    w.to_ascii_lowercase().as_str(),
                    "near" | "in" | "of" | "the" | "outside" | "at" | "district" | "area" | "town"
                )
            })
    };
    let places: Vec<(Span, Option<String>)> = kept
        .iter()
        .filter(|c| c.etype == EntityType::Place)
        .map(|c| (c.span, country_of(c)))
        .collect();
    kept.retain(|c| {
        if c.priority != PRIO_GENERATED || c.etype != EntityType::Place {
            return true;
        }
        let Some(k) = country_of(c) else {
            return true;
        };
        if named.iter().any(|(nk, id)| *nk == k && *id != c.id) {
            return true;
        }
        let foreign_next = places.iter().any(|(span, pk)| {
            span.start > c.span.end
                && pk.as_ref().is_some_and(|pk| *pk != k)
                && text.get(c.span.end..span.start).is_some_and(&chain)
        });
        !foreign_next
    });
}

fn is_metric(c: &Candidate) -> bool {
    matches!(
        c.attributes.get("kind").and_then(|k| k.as_str()),
        Some("index" | "metric")
    )
}

/// Attributes of candidates that lost an overlap, by id.
type Stash = HashMap<String, BTreeMap<String, serde_json::Value>>;

/// Ranks (canonical titles, folded as `fold_phrase` writes them: a hyphen
/// is a word of its own) below any office a dictionary official holds.
const LOW_RANKS: &[&str] = &[
    "sepoy",
    "naik",
    "havildar",
    "havaldar",
    "naib subedar",
    "subedar",
    "constable",
    "head constable",
    "assistant sub - inspector",
    "sub - inspector",
];

/// Whether a title (its canonical name) is one of [`LOW_RANKS`].
pub(crate) fn is_low_rank(title: &str) -> bool {
    LOW_RANKS.contains(&crate::segment::fold_phrase(title).as_str())
}

/// "Naik Imran Khan ... embraced shahadat" is a soldier who shares a name
/// with the former prime minister, not him: a name that a pattern found
/// after a low rank, where the dictionary knows an official of that name,
/// becomes an entity of its own (`official:naik-imran-khan`) and wins the
/// span.
fn split_namesakes(candidates: &mut [Candidate]) {
    let curated: Vec<Span> = candidates
        .iter()
        .filter(|c| c.priority >= crate::matcher::PRIO_CURATED && c.etype == EntityType::Official)
        .map(|c| c.span)
        .collect();
    if curated.is_empty() {
        return;
    }
    for c in candidates.iter_mut() {
        if c.priority >= crate::matcher::PRIO_CURATED || !curated.contains(&c.span) {
            continue;
        }
        let Some(rank) = c
            .attributes
            .get("title")
            .and_then(|t| t.as_str())
            .filter(|t| is_low_rank(t))
            .map(crate::matcher::slug)
        else {
            continue;
        };
        let Some((kind, name)) = c.id.split_once(':') else {
            continue;
        };
        c.id = format!("{kind}:{rank}-{name}");
        c.priority = crate::matcher::PRIO_CURATED + 1;
    }
}

/// Greedy overlap settlement (see the module docs for the order).
fn settle(mut candidates: Vec<Candidate>) -> (Vec<Candidate>, Stash) {
    let mut stash = Stash::default();
    candidates.sort_by(|a, b| {
        b.span
            .len()
            .cmp(&a.span.len())
            .then(b.priority.cmp(&a.priority))
            .then(a.span.start.cmp(&b.span.start))
            .then(a.id.cmp(&b.id))
    });
    // Kept spans by start, for overlap checks.
    let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
    let mut kept = Vec::new();
    for c in candidates {
        if c.span.is_empty() || overlaps_kept(&taken, c.span) {
            if !c.attributes.is_empty() {
                stash.entry(c.id).or_insert(c.attributes);
            }
            continue;
        }
        taken.insert(c.span.start, c.span.end);
        kept.push(c);
    }
    kept.sort_by_key(|c| (c.span.start, c.span.end));
    (kept, stash)
}

/// Pattern-found people with the same first and last name are one person:
/// "Tahawwur Rana" and "Tahawwur Hussain Rana" (the first spelling gives the
/// id).
fn merge_name_variants(kept: &mut [Candidate]) {
    let mut first_seen: HashMap<(String, String), (String, String)> = HashMap::default();
    for c in kept.iter_mut() {
        if c.known || !matches!(c.etype, EntityType::Person | EntityType::Official) {
            continue;
        }
        let words: Vec<&str> = c.name.split_whitespace().collect();
        let (Some(f), Some(l)) = (words.first(), words.last()) else {
            continue;
        };
        if words.len() < 2 {
            continue;
        }
        let key = (f.to_string(), l.to_string());
        match first_seen.get(&key) {
            Some((id, name)) if *id != c.id => {
                c.id = id.clone();
                c.name = name.clone();
            }
            Some(_) => {}
            None => {
                first_seen.insert(key, (c.id.clone(), c.name.clone()));
            }
        }
    }
}

/// "Hamza Afghani": a demonym right after a capitalized word that nothing
/// matched (and that does not start its sentence) is part of a name.
fn drop_demonyms_in_names(text: &str, seg: &Segmentation, kept: &mut Vec<Candidate>) {
    if !kept.iter().any(|c| c.demonym) {
        return;
    }
    let starts: HashSet<usize> = kept.iter().map(|c| c.span.start).collect();
    let ends: HashSet<usize> = kept.iter().map(|c| c.span.end).collect();
    kept.retain(|c| {
        if !c.demonym {
            return true;
        }
        let Some(t) = seg.token_starting_at(c.span.start) else {
            return true;
        };
        if t == 0 {
            return true;
        }
        let p = &seg.tokens[t - 1];
        let first_in_sentence = seg
            .sentences
            .get(p.sentence)
            .is_some_and(|s| s.tokens.start == t - 1);
        let name_before = p.kind == TokenKind::Word
            && p.sentence == seg.tokens[t].sentence
            && !first_in_sentence
            && p.span
                .slice(text)
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
            && !is_common(seg.folded(t - 1))
            && !ends.contains(&p.span.end)
            && !starts.contains(&p.span.start);
        !name_before
    });
}

/// Token index range `first..=last` whose original text, concatenated,
/// starts at `start` and equals `s` (no whitespace inside).
fn tokens_spelling(text: &str, seg: &Segmentation, first: usize, s: &str) -> Option<usize> {
    let mut rest = s;
    let mut t = first;
    let mut prev_end = seg.tokens.get(first)?.span.start;
    while t < seg.tokens.len() {
        let tok = &seg.tokens[t];
        if tok.span.start != prev_end {
            return None;
        }
        rest = rest.strip_prefix(tok.span.slice(text))?;
        if rest.is_empty() {
            return Some(t);
        }
        prev_end = tok.span.end;
        t += 1;
    }
    None
}

/// Extends a span over a possessive "’s" right after token `last`.
fn with_possessive(seg: &Segmentation, last: usize, span: Span) -> Span {
    let n = last + 1;
    if n < seg.tokens.len() && seg.tokens[n].span.start == span.end && seg.folded(n) == "'s" {
        Span::new(span.start, seg.tokens[n].span.end)
    } else {
        span
    }
}

/// "Islamic State-Khorasan (IS-K)": IS-K means that entity from here on.
fn bind_defined_abbreviations(text: &str, seg: &Segmentation, kept: &mut Vec<Candidate>) {
    let mut bindings: Vec<(String, usize, Candidate)> = Vec::new();
    for c in kept.iter() {
        if c.demonym || is_metric(c) {
            continue;
        }
        // The token after the mention must be "(".
        let Some(open) = seg.token_starting_at(next_token_start(seg, c.span.end)) else {
            continue;
        };
        if seg.folded(open) != "(" {
            continue;
        }
        let mut close = open + 1;
        while close < seg.tokens.len() && close <= open + 6 && seg.folded(close) != ")" {
            close += 1;
        }
        if close >= seg.tokens.len() || seg.folded(close) != ")" || close == open + 1 {
            continue;
        }
        let inner = Span::new(
            seg.tokens[open + 1].span.start,
            seg.tokens[close - 1].span.end,
        );
        let abbr = inner.slice(text);
        let uppers = abbr.chars().filter(|ch| ch.is_uppercase()).count();
        if abbr.contains(char::is_whitespace)
            || abbr.chars().count() > 12
            || uppers < 2
            || !abbr.chars().next().is_some_and(char::is_uppercase)
        {
            continue;
        }
        // Already the same entity: nothing to bind.
        let at = kept.partition_point(|k| k.span.start < inner.start);
        if kept[at..]
            .iter()
            .take_while(|k| k.span.start == inner.start)
            .any(|k| k.span == inner && k.id == c.id)
        {
            continue;
        }
        let mut bound = c.clone();
        bound.rule = format!("{}#defined-abbreviation", c.rule);
        bound.demonym = false;
        bindings.push((abbr.to_string(), open + 1, bound));
    }
    if bindings.is_empty() {
        return;
    }
    // Bindings by the text of their first token, in text order.
    let mut by_first: HashMap<&str, Vec<usize>> = HashMap::default();
    for (i, (_, from, _)) in bindings.iter().enumerate() {
        by_first
            .entry(seg.tokens[*from].span.slice(text))
            .or_default()
            .push(i);
    }
    let mut added = Vec::new();
    let mut t = 0;
    while t < seg.tokens.len() {
        let word = seg.tokens[t].span.slice(text);
        // Abbreviations start with a capital: skip other tokens unhashed.
        if !word.chars().next().is_some_and(char::is_uppercase) {
            t += 1;
            continue;
        }
        let Some(list) = by_first.get(word) else {
            t += 1;
            continue;
        };
        // The latest binding defined at or before this token that spells out here.
        let upto = list.partition_point(|&i| bindings[i].1 <= t);
        let found = list[..upto].iter().rev().find_map(|&i| {
            let (abbr, _, bound) = &bindings[i];
            tokens_spelling(text, seg, t, abbr).map(|last| (last, bound))
        });
        let Some((last, bound)) = found else {
            t += 1;
            continue;
        };
        let glued_before = t > 0
            && seg.tokens[t - 1].span.end == seg.tokens[t].span.start
            && seg.tokens[t - 1].kind == TokenKind::Word;
        // Not inside a longer name: "TTP" inside "TTP-JA" is not this
        // abbreviation.
        let glued_after = seg.tokens.get(last + 1).is_some_and(|n| {
            n.span.start == seg.tokens[last].span.end && seg.folded(last + 1) == "-"
        });
        if glued_before || glued_after {
            t += 1;
            continue;
        }
        let span = with_possessive(
            seg,
            last,
            Span::new(seg.tokens[t].span.start, seg.tokens[last].span.end),
        );
        let mut m = bound.clone();
        m.span = span;
        added.push(m);
        t = last + 1;
    }
    // Bound mentions replace whatever they overlap.
    let added_spans: BTreeMap<usize, usize> =
        added.iter().map(|a| (a.span.start, a.span.end)).collect();
    kept.retain(|k| !overlaps_kept(&added_spans, k.span));
    kept.extend(added);
    kept.sort_by_key(|c| (c.span.start, c.span.end));
    kept.dedup_by(|a, b| a.span == b.span);
}

fn next_token_start(seg: &Segmentation, byte: usize) -> usize {
    let i = seg.tokens.partition_point(|t| t.span.start < byte);
    seg.tokens.get(i).map_or(usize::MAX, |t| t.span.start)
}

/// "Sharif said", "Naqvi’s": a surname alone joins the latest earlier person.
fn join_surnames(text: &str, seg: &Segmentation, kept: &mut Vec<Candidate>) {
    // (surname, first mention end, candidate) for every multi-word person.
    let mut people: HashMap<&str, Vec<(usize, usize)>> = HashMap::default();
    for (k, c) in kept.iter().enumerate() {
        if !matches!(c.etype, EntityType::Official | EntityType::Person) || c.demonym {
            continue;
        }
        let name = c.span.slice(text);
        let name = name
            .strip_suffix("’s")
            .or_else(|| name.strip_suffix("'s"))
            .unwrap_or(name);
        // The mention's last word, the canonical name's, and the
        // dictionary's `surname` ("Kenneth F. McKenzie Jr." -> McKenzie).
        let mut surnames: Vec<&str> = Vec::with_capacity(3);
        if let Some(last) = name.split_whitespace().last() {
            if last != name {
                surnames.push(last);
            }
        }
        if let Some(last) = c.name.split_whitespace().last() {
            if last != c.name {
                surnames.push(last);
            }
        }
        if let Some(s) = c.attributes.get("surname").and_then(|s| s.as_str()) {
            surnames.push(s);
        }
        surnames.sort_unstable();
        surnames.dedup();
        for s in surnames {
            people.entry(s).or_default().push((c.span.end, k));
        }
    }
    if people.is_empty() {
        return;
    }
    let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
    for c in kept.iter() {
        taken.insert(c.span.start, c.span.end);
    }
    let mut added = Vec::new();
    let mut established: HashMap<&str, String> = HashMap::default();
    for (t, tok) in seg.tokens.iter().enumerate() {
        if tok.kind != TokenKind::Word {
            continue;
        }
        let w = tok.span.slice(text);
        if !w.chars().next().is_some_and(char::is_uppercase) {
            continue;
        }
        let Some(list) = people.get(w) else { continue };
        // The latest earlier full name (kept is in text order), unless the
        // bare surname already stands for someone who is among them: once
        // "Shah" is Amit Shah, a later "Suleiman Shah" gets his full name
        // from the writer and "Shah" stays Amit Shah.
        let upto = list.partition_point(|(end, _)| *end <= tok.span.start);
        let earlier = &list[..upto];
        let chosen = established
            .get(w)
            .and_then(|id| earlier.iter().rev().find(|(_, k)| &kept[*k].id == id))
            .or_else(|| earlier.last());
        let Some(&(_, k)) = chosen else {
            continue;
        };
        let span = with_possessive(seg, t, tok.span);
        if overlaps_kept(&taken, span) {
            continue;
        }
        established.insert(w, kept[k].id.clone());
        let mut m = kept[k].clone();
        m.span = span;
        m.rule = format!("{}#surname", kept[k].rule);
        added.push(m);
    }
    kept.extend(added);
}

/// Capitalized multi-word names that nothing matched.
fn unknown_names(
    text: &str,
    seg: &Segmentation,
    kept: &[Candidate],
    blockers: &[Candidate],
) -> Vec<Diagnostic> {
    let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
    for c in kept.iter().chain(blockers) {
        let end = taken.entry(c.span.start).or_insert(c.span.end);
        *end = (*end).max(c.span.end);
    }
    let mut out = Vec::new();
    let n = seg.tokens.len();
    let mut t = 0;
    while t < n {
        let tok = &seg.tokens[t];
        let heading = seg
            .sentences
            .get(tok.sentence)
            .and_then(|s| seg.blocks.get(s.block))
            .is_some_and(|b| b.kind == BlockKind::Heading);
        if heading || !is_name_word(text, seg, t, &taken) {
            t += 1;
            continue;
        }
        let first = t;
        let mut last = t;
        while last + 1 < n
            && seg.tokens[last + 1].sentence == tok.sentence
            && is_name_word(text, seg, last + 1, &taken)
        {
            last += 1;
        }
        t = last + 1;
        // Part of a hyphenated compound ("Non-NATO"): not a name.
        let glued = |a: usize, b: usize| {
            seg.tokens[a].span.end == seg.tokens[b].span.start
                && (seg.folded(b) == "-" || seg.folded(a) == "-")
        };
        if last == first
            || (last + 1 < n && glued(last, last + 1))
            || (first > 0 && glued(first - 1, first))
        {
            continue;
        }
        // A title right before a known name ("Commander General Michael
        // Kurilla") is not an unknown name.
        let next = next_token_start(seg, seg.tokens[last].span.end);
        let at = kept.partition_point(|c| c.span.start < next);
        let before_person = kept[at..]
            .iter()
            .take_while(|c| c.span.start == next)
            .any(|c| matches!(c.etype, EntityType::Official | EntityType::Person));
        let before_of = seg
            .tokens
            .get(last + 1)
            .is_some_and(|_| seg.folded(last + 1) == "of");
        if before_person
            || before_of && last + 2 < n && taken.contains_key(&seg.tokens[last + 2].span.start)
        {
            continue;
        }
        out.push(Diagnostic {
            kind: "unknown_name".into(),
            span: Span::new(seg.tokens[first].span.start, seg.tokens[last].span.end),
            message: None,
        });
    }
    out
}

fn is_name_word(text: &str, seg: &Segmentation, t: usize, taken: &BTreeMap<usize, usize>) -> bool {
    let tok = &seg.tokens[t];
    tok.kind == TokenKind::Word
        && tok
            .span
            .slice(text)
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
        && !is_common(seg.folded(t))
        && !overlaps_kept(taken, tok.span)
}

/// Mentions grouped by id, in order of first mention.
fn group(seg: &Segmentation, kept: Vec<Candidate>) -> Vec<Entity> {
    let mut index: HashMap<String, usize> = HashMap::default();
    let mut entities: Vec<Entity> = Vec::new();
    for mut c in kept {
        let mention = Mention {
            span: c.span,
            sentence: seg.sentence_at(c.span.start).unwrap_or(0),
            rule: std::mem::take(&mut c.rule),
        };
        match index.get(&c.id) {
            Some(&i) => {
                let e = &mut entities[i];
                if c.known && !e.known {
                    e.known = true;
                    e.name = c.name.clone();
                }
                for (k, v) in c.attributes {
                    e.attributes.entry(k).or_insert(v);
                }
                e.mentions.push(mention);
            }
            None => {
                index.insert(c.id.clone(), entities.len());
                entities.push(Entity {
                    id: c.id,
                    etype: c.etype,
                    name: c.name,
                    known: c.known,
                    attributes: c.attributes,
                    mentions: vec![mention],
                });
            }
        }
    }
    entities
}
