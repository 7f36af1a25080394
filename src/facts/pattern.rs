//! The fact pattern language and its matcher.
//!
//! A pattern is a sequence of elements over a sentence's *items* (an entity
//! mention, a value, a quoted span, or a token):
//!
//! - `{place}`, `{group}`, `{official}`, `{person}`, `{org}`, `{entity}` (any
//!   entity), `{date}`, `{count}`, `{quantity}`, `{money}`, `{percent}`,
//!   `{quote}` (a span in curly or straight double quotes), `{name}` (a run of
//!   capitalized words or entity mentions, kept as text) and `{text}` (up to 12
//!   items before the next `,` `;` `.` `:`, kept as text). Types combine with
//!   `|`: `{person|official}`. An entity slot also takes a leading "the".
//!   `{slot}?` is an optional slot.
//! - A slot is named after its first type; `{place:where}` names it `where`.
//!   For `count`, `quantity`, `money` and `percent` the second part is the
//!   unit and the third the name: `{count:attack}`, `{count:attack:n}`,
//!   `{count::killed}` (any unit). A `+` makes a list slot that takes
//!   "A, B, and C": `{entity+:parties}`. A slot name used twice collects a
//!   list.
//! - A word matches a token whose folded form or stem is the word or the
//!   word's stem, or, for words of 5 letters or more, whose folded form
//!   starts with the word: `trained`, `train`, `experienc` and `reiterat`
//!   all work. `word?` is
//!   optional; `(a|b c|d)` are alternatives (each a sequence), `(...)?` an
//!   optional group, and `(...):name` keeps the matched text as a string
//!   argument; `(...):name="phrase"` gives that constant instead (a
//!   normalized phrase: `(improvised explosive device|ied):means="IED"`).
//! - `...` skips up to 6 items, `~3` up to 3 (shortest first).
//! - `\(` `\)` `\|` (a backslash before a special character) match that
//!   punctuation token literally.
//!
//! A pattern compiles to a small program (split, jump, test, slot, capture)
//! that a backtracking matcher runs from each item of a sentence, after a
//! prefilter that checks the sentence holds the pattern's required words and
//! slot types.

use std::collections::HashMap;

use rust_stemmers::Stemmer;

use crate::layers::{EntityType, ValueType};
use crate::segment::{fold_phrase, BuildWordHasher};

/// What a slot accepts.
#[derive(Debug, Clone, PartialEq)]
pub enum SlotType {
    /// An entity mention (`None`: any type).
    Entity(Option<EntityType>),
    /// A value of this type (with this `unit`, when given).
    Value(ValueType, Option<String>),
    Quote,
    Name,
    Text,
}

impl SlotType {
    /// The prefilter bit of this type.
    pub fn mask(&self) -> u32 {
        match self {
            SlotType::Entity(None) => 0b11111,
            SlotType::Entity(Some(t)) => 1 << (*t as u32),
            SlotType::Value(v, _) => 1 << (5 + *v as u32),
            SlotType::Quote => 1 << 13,
            SlotType::Name | SlotType::Text => u32::MAX,
        }
    }
}

/// A named slot of a pattern (also used for `(...):name` captures).
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    pub name: String,
    /// Empty for a capture.
    pub types: Vec<SlotType>,
    pub list: bool,
    /// For a capture `(...):name="value"`: the argument is this constant
    /// (a normalized phrase) instead of the matched words.
    pub value: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Inst {
    /// One token equal to one of these vocabulary ids (sorted).
    Word(Vec<u32>),
    /// Any one item.
    Any,
    /// Consumes nothing; fails unless the item is a token with one of these
    /// vocabulary ids (the first words of every alternative of a group, so
    /// that a long alternation is not tried word by word where none fits).
    Peek(Vec<u32>),
    /// A slot (index into [`Pattern::slots`]).
    Slot(usize),
    /// Try the first target, then the second.
    Split(usize, usize),
    Jmp(usize),
    CapStart(usize),
    CapEnd(usize),
    Match,
}

/// One compiled pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub source: String,
    pub prog: Vec<Inst>,
    pub slots: Vec<Slot>,
    /// Each entry: the sentence must hold one of these vocabulary ids.
    pub required_words: Vec<Vec<u32>>,
    /// Each entry: the sentence must hold an item of one of these types.
    pub required_types: Vec<u32>,
    /// The tests a match can start with (`None`: any item can start one).
    pub first: Option<Vec<Inst>>,
}

/// The consuming instructions reachable from `pc` without consuming.
fn first_tests(prog: &[Inst], pc: usize, seen: &mut Vec<bool>, out: &mut Vec<Inst>) -> bool {
    if pc >= prog.len() || seen[pc] {
        return true;
    }
    seen[pc] = true;
    match &prog[pc] {
        Inst::Word(_) | Inst::Slot(_) => {
            out.push(prog[pc].clone());
            true
        }
        Inst::Any | Inst::Match => false,
        Inst::Peek(_) => first_tests(prog, pc + 1, seen, out),
        Inst::Split(a, b) => first_tests(prog, *a, seen, out) && first_tests(prog, *b, seen, out),
        Inst::Jmp(a) => first_tests(prog, *a, seen, out),
        Inst::CapStart(_) | Inst::CapEnd(_) => first_tests(prog, pc + 1, seen, out),
    }
}

/// A parse error: byte offset into the pattern and the reason.
#[derive(Debug, Clone, PartialEq)]
pub struct PatternError {
    pub at: usize,
    pub message: String,
}

fn err<T>(at: usize, message: impl Into<String>) -> Result<T, PatternError> {
    Err(PatternError {
        at,
        message: message.into(),
    })
}

/// The words of every pattern, interned.
#[derive(Debug, Default)]
pub struct Vocab {
    ids: HashMap<String, u32, BuildWordHasher>,
    /// The longest word's length in bytes: no longer string is a word.
    max_len: usize,
}

impl Vocab {
    pub fn intern(&mut self, s: &str) -> u32 {
        let n = self.ids.len() as u32;
        self.max_len = self.max_len.max(s.len());
        *self.ids.entry(s.to_string()).or_insert(n)
    }

    pub fn get(&self, s: &str) -> Option<u32> {
        if s.len() > self.max_len {
            return None;
        }
        self.ids.get(s).copied()
    }

    /// Every word, indexed by its id.
    pub fn words(&self) -> Vec<&str> {
        let mut out = vec![""; self.ids.len()];
        for (w, &id) in &self.ids {
            out[id as usize] = w;
        }
        out
    }

    /// The length in bytes of the longest word.
    pub fn max_len(&self) -> usize {
        self.max_len
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

#[derive(Debug, Clone)]
enum Node {
    Word(Vec<u32>),
    Slot(usize),
    Gap(usize),
    Group {
        alts: Vec<Vec<Node>>,
        optional: bool,
        capture: Option<usize>,
    },
}

const DEFAULT_GAP: usize = 6;

struct Parser<'a> {
    src: &'a str,
    pos: usize,
    vocab: &'a mut Vocab,
    stemmer: &'a Stemmer,
    slots: Vec<Slot>,
}

/// Parses and compiles `src`.
pub fn compile(src: &str, vocab: &mut Vocab, stemmer: &Stemmer) -> Result<Pattern, PatternError> {
    let mut p = Parser {
        src,
        pos: 0,
        vocab,
        stemmer,
        slots: Vec::new(),
    };
    let nodes = p.seq(0)?;
    if p.pos < src.len() {
        return err(p.pos, "unexpected `)` or `|` outside a group");
    }
    if nodes.is_empty() {
        return err(0, "empty pattern");
    }
    if matches!(nodes.first(), Some(Node::Gap(_))) || matches!(nodes.last(), Some(Node::Gap(_))) {
        return err(0, "a pattern may not start or end with a gap");
    }
    let mut required_words = Vec::new();
    let mut required_types = Vec::new();
    required(&nodes, &p.slots, &mut required_words, &mut required_types);
    let mut prog = Vec::new();
    emit(&nodes, &mut prog);
    prog.push(Inst::Match);
    let mut first = Vec::new();
    let bounded = first_tests(&prog, 0, &mut vec![false; prog.len()], &mut first);
    Ok(Pattern {
        first: bounded.then_some(first),
        source: src.to_string(),
        prog,
        slots: p.slots,
        required_words,
        required_types,
    })
}

/// What every match of `nodes` must hold: for each entry of `words`, one of
/// its vocabulary ids; for each entry of `types`, an item of one of its
/// types. A group that is not optional requires, for each entry, one of the
/// first requirement of each alternative ("(kill|die)" requires one of the
/// two words), so verbs in alternatives also prefilter.
fn required(nodes: &[Node], slots: &[Slot], words: &mut Vec<Vec<u32>>, types: &mut Vec<u32>) {
    for n in nodes {
        match n {
            Node::Word(ids) => words.push(ids.clone()),
            Node::Slot(s) => {
                let m = slots[*s].types.iter().fold(0, |m, t| m | t.mask());
                if m != u32::MAX {
                    types.push(m);
                }
            }
            Node::Group {
                alts,
                optional: false,
                ..
            } => {
                let mut any_words: Vec<u32> = Vec::new();
                let mut any_types = 0u32;
                let (mut all_words, mut all_types) = (true, true);
                for alt in alts {
                    let (mut w, mut t) = (Vec::new(), Vec::new());
                    required(alt, slots, &mut w, &mut t);
                    match w.first() {
                        Some(ids) => any_words.extend(ids),
                        None => all_words = false,
                    }
                    match t.first() {
                        Some(m) => any_types |= m,
                        None => all_types = false,
                    }
                }
                if all_words && !any_words.is_empty() {
                    any_words.sort_unstable();
                    any_words.dedup();
                    words.push(any_words);
                }
                if all_types && any_types != 0 {
                    types.push(any_types);
                }
            }
            _ => {}
        }
    }
}

/// The vocabulary ids one of which any match of `node` starts with, when
/// every way through it starts with a word.
fn first_words(node: &Node) -> Option<Vec<u32>> {
    match node {
        Node::Word(ids) => Some(ids.clone()),
        Node::Group {
            alts,
            optional: false,
            ..
        } => {
            let mut out = Vec::new();
            for alt in alts {
                out.extend(first_words(alt.first()?)?);
            }
            out.sort_unstable();
            out.dedup();
            Some(out)
        }
        _ => None,
    }
}

/// A group's alternatives with each run of one-word alternatives next to
/// each other made one word test ("(killed|died|dead) by": one test, not
/// three tries). Each of them takes one token and goes on alike, so the
/// merged test matches what they match, in the same order of tries as far
/// as the outcome can tell; words of different runs keep their order.
fn merge_words(alts: &[Vec<Node>]) -> Vec<Vec<Node>> {
    let mut out: Vec<Vec<Node>> = Vec::with_capacity(alts.len());
    let mut run_open = false;
    for alt in alts {
        if let [Node::Word(ids)] = alt.as_slice() {
            if run_open {
                if let Some([Node::Word(merged)]) = out.last_mut().map(Vec::as_mut_slice) {
                    merged.extend(ids);
                    merged.sort_unstable();
                    merged.dedup();
                    continue;
                }
            }
            run_open = true;
        } else {
            run_open = false;
        }
        out.push(alt.clone());
    }
    out
}

fn emit(nodes: &[Node], prog: &mut Vec<Inst>) {
    for n in nodes {
        match n {
            Node::Word(ids) => {
                let mut ids = ids.clone();
                ids.sort_unstable();
                ids.dedup();
                prog.push(Inst::Word(ids));
            }
            Node::Slot(s) => prog.push(Inst::Slot(*s)),
            Node::Gap(k) => {
                // Lazy: for each step, first try to go on, then take an item.
                let end = prog.len() + 2 * k;
                for _ in 0..*k {
                    let here = prog.len();
                    prog.push(Inst::Split(end, here + 1));
                    prog.push(Inst::Any);
                }
            }
            Node::Group {
                alts,
                optional,
                capture,
            } => {
                let alts = &merge_words(alts);
                let split_at = prog.len();
                if *optional {
                    prog.push(Inst::Split(split_at + 1, usize::MAX));
                }
                if alts.len() > 2 {
                    if let Some(ids) = first_words(n) {
                        prog.push(Inst::Peek(ids));
                    }
                }
                if let Some(c) = capture {
                    prog.push(Inst::CapStart(*c));
                }
                let mut jumps = Vec::new();
                for (i, alt) in alts.iter().enumerate() {
                    let last = i + 1 == alts.len();
                    let split = prog.len();
                    if !last {
                        prog.push(Inst::Split(split + 1, usize::MAX));
                    }
                    emit(alt, prog);
                    if !last {
                        jumps.push(prog.len());
                        prog.push(Inst::Jmp(usize::MAX));
                        let next = prog.len();
                        prog[split] = Inst::Split(split + 1, next);
                    }
                }
                let end = prog.len();
                for j in jumps {
                    prog[j] = Inst::Jmp(end);
                }
                if let Some(c) = capture {
                    prog.push(Inst::CapEnd(*c));
                }
                if *optional {
                    let after = prog.len();
                    prog[split_at] = Inst::Split(split_at + 1, after);
                }
            }
        }
    }
}

fn is_special(c: char) -> bool {
    matches!(c, '{' | '}' | '(' | ')' | '|' | '~') || c.is_whitespace()
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn skip_ws(&mut self) {
        while let Some(c) = self.peek() {
            if c.is_whitespace() {
                self.pos += c.len_utf8();
            } else {
                break;
            }
        }
    }

    /// A sequence up to `)` / `|` / end.
    fn seq(&mut self, depth: usize) -> Result<Vec<Node>, PatternError> {
        let mut out = Vec::new();
        loop {
            self.skip_ws();
            let start = self.pos;
            let Some(c) = self.peek() else { break };
            match c {
                ')' | '|' => {
                    if depth == 0 {
                        return err(start, format!("`{c}` outside a group"));
                    }
                    break;
                }
                '{' => {
                    let close = match self.src[start..].find('}') {
                        Some(i) => start + i,
                        None => return err(start, "`{` without `}`"),
                    };
                    let body = &self.src[start + 1..close];
                    let slot = self.slot(body, start)?;
                    self.pos = close + 1;
                    if self.peek() == Some('?') {
                        self.pos += 1;
                        out.push(Node::Group {
                            alts: vec![vec![Node::Slot(slot)]],
                            optional: true,
                            capture: None,
                        });
                    } else {
                        out.push(Node::Slot(slot));
                    }
                }
                '(' => {
                    self.pos += 1;
                    let mut alts = vec![self.seq(depth + 1)?];
                    loop {
                        match self.peek() {
                            Some('|') => {
                                self.pos += 1;
                                alts.push(self.seq(depth + 1)?);
                            }
                            Some(')') => {
                                self.pos += 1;
                                break;
                            }
                            _ => return err(start, "`(` without `)`"),
                        }
                    }
                    if alts.iter().any(|a| a.is_empty()) {
                        return err(start, "empty alternative in a group");
                    }
                    let mut optional = false;
                    let mut capture = None;
                    if self.peek() == Some('?') {
                        self.pos += 1;
                        optional = true;
                    }
                    if self.peek() == Some(':') {
                        self.pos += 1;
                        let name_start = self.pos;
                        while self.peek().is_some_and(|c| c.is_alphanumeric() || c == '_') {
                            self.pos += 1;
                        }
                        let name = self.src[name_start..self.pos].to_string();
                        if name.is_empty() {
                            return err(name_start, "expected a name after `):`");
                        }
                        let mut value = None;
                        if self.src[self.pos..].starts_with("=\"") {
                            let v_start = self.pos + 2;
                            let Some(len) = self.src[v_start..].find('"') else {
                                return err(self.pos, "`=\"` without a closing `\"`");
                            };
                            value = Some(self.src[v_start..v_start + len].to_string());
                            self.pos = v_start + len + 1;
                        }
                        capture = Some(self.add_slot(Slot {
                            name,
                            types: Vec::new(),
                            list: false,
                            value,
                        }));
                    }
                    out.push(Node::Group {
                        alts,
                        optional,
                        capture,
                    });
                }
                '~' => {
                    self.pos += 1;
                    let n_start = self.pos;
                    while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                        self.pos += 1;
                    }
                    let n: usize = match self.src[n_start..self.pos].parse() {
                        Ok(n) if (1..=20).contains(&n) => n,
                        _ => return err(start, "`~` takes a number of tokens from 1 to 20"),
                    };
                    out.push(Node::Gap(n));
                }
                '}' => return err(start, "`}` without `{`"),
                '\\' => {
                    // `\(`: a literal punctuation token ("militants \( reportedly
                    // {group} \)").
                    let Some(ch) = self.src[start + 1..].chars().next() else {
                        return err(start, "`\\` at the end of the pattern");
                    };
                    self.pos = start + 1 + ch.len_utf8();
                    let mut tok = ch.to_string();
                    while let Some(q) = self.peek() {
                        if q == '?' {
                            break;
                        }
                        if is_special(q) || q.is_whitespace() {
                            break;
                        }
                        tok.push(q);
                        self.pos += q.len_utf8();
                    }
                    let optional = self.peek() == Some('?');
                    if optional {
                        self.pos += 1;
                    }
                    let node = Node::Word(vec![self.vocab.intern(&crate::segment::fold(&tok))]);
                    if optional {
                        out.push(Node::Group {
                            alts: vec![vec![node]],
                            optional: true,
                            capture: None,
                        });
                    } else {
                        out.push(node);
                    }
                }
                _ => {
                    let mut end = start;
                    for (i, ch) in self.src[start..].char_indices() {
                        if is_special(ch) {
                            break;
                        }
                        end = start + i + ch.len_utf8();
                    }
                    self.pos = end;
                    let mut word = &self.src[start..end];
                    if word == "..." {
                        out.push(Node::Gap(DEFAULT_GAP));
                        continue;
                    }
                    let optional = word.len() > 1 && word.ends_with('?');
                    if optional {
                        word = &word[..word.len() - 1];
                    }
                    // `=attacked`: this form only (not its stem's other forms).
                    let exact = word.len() > 1 && word.starts_with('=');
                    if exact {
                        word = &word[1..];
                    }
                    let mut seq = Vec::new();
                    for lit in literal_tokens(word) {
                        let mut ids = vec![self.vocab.intern(&lit)];
                        let stem = self.stemmer.stem(&lit).into_owned();
                        let sid = self.vocab.intern(&stem);
                        if !ids.contains(&sid) && !exact {
                            ids.push(sid);
                        }
                        seq.push(Node::Word(ids));
                    }
                    if seq.is_empty() {
                        return err(start, "not a word");
                    }
                    if optional {
                        out.push(Node::Group {
                            alts: vec![seq],
                            optional: true,
                            capture: None,
                        });
                    } else {
                        out.extend(seq);
                    }
                }
            }
        }
        Ok(out)
    }

    fn add_slot(&mut self, slot: Slot) -> usize {
        self.slots.push(slot);
        self.slots.len() - 1
    }

    fn slot(&mut self, body: &str, at: usize) -> Result<usize, PatternError> {
        let list = body.contains('+');
        let body = body.replace('+', "");
        let parts: Vec<&str> = body.split(':').map(str::trim).collect();
        let mut types = Vec::new();
        let numeric = |t: &str| matches!(t, "count" | "quantity" | "money" | "percent");
        let all_numeric = parts[0].split('|').all(|t| numeric(t.trim()));
        let (unit, name) = if all_numeric {
            if parts.len() > 3 {
                return err(
                    at,
                    "a slot is `{type}`, `{type:unit}` or `{type:unit:name}`",
                );
            }
            let unit = parts
                .get(1)
                .filter(|u| !u.is_empty() && **u != "*")
                .map(|u| u.to_string());
            (unit, parts.get(2).copied())
        } else {
            if parts.len() > 2 {
                return err(at, "a slot is `{type}` or `{type:name}`");
            }
            (None, parts.get(1).copied())
        };
        for t in parts[0].split('|').map(str::trim) {
            let st = match t {
                "entity" => SlotType::Entity(None),
                "org" | "organization" => SlotType::Entity(Some(EntityType::Organization)),
                "quote" => SlotType::Quote,
                "name" => SlotType::Name,
                "text" => SlotType::Text,
                other => match (EntityType::parse(other), ValueType::parse(other)) {
                    (Some(e), _) => SlotType::Entity(Some(e)),
                    (None, Some(v)) => SlotType::Value(v, unit.clone()),
                    _ => {
                        return err(
                            at + 1,
                            format!(
                                "unknown slot type `{other}` (expected place, group, official, \
                                 person, org, entity, date, count, quantity, money, percent, \
                                 quote, name or text)"
                            ),
                        )
                    }
                },
            };
            types.push(st);
        }
        let default = parts[0].split('|').next().unwrap_or("").trim();
        let name = match name {
            Some("") | None => default.to_string(),
            Some(n) => {
                if !n.chars().all(|c| c.is_alphanumeric() || c == '_') {
                    return err(at, format!("bad slot name `{n}`"));
                }
                n.to_string()
            }
        };
        Ok(self.add_slot(Slot {
            name,
            types,
            list,
            value: None,
        }))
    }
}

/// The folded tokens of a literal word of a pattern ("'s" stays one token).
fn literal_tokens(word: &str) -> Vec<String> {
    let folded = crate::segment::fold(word);
    if folded == "'s" {
        return vec![folded];
    }
    fold_phrase(word)
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_stemmers::Algorithm;

    fn parse(src: &str) -> Result<Pattern, PatternError> {
        let mut v = Vocab::default();
        compile(src, &mut v, &Stemmer::create(Algorithm::English))
    }

    #[test]
    fn slots_and_names() {
        let p = parse("{place} saw {count:attack} in {date:time}").unwrap();
        let names: Vec<&str> = p.slots.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["place", "count", "time"]);
        assert_eq!(
            p.slots[1].types,
            vec![SlotType::Value(ValueType::Count, Some("attack".into()))]
        );
        assert_eq!(p.required_words.len(), 2);
        assert_eq!(p.required_types.len(), 3);
    }

    #[test]
    fn alternatives_and_groups_are_required_unless_optional() {
        let p = parse("{count::killed} (were|was)? (kill|die) (and {count::injured})?").unwrap();
        // `(kill|die)` is required (one of its two words); `(were|was)?` and
        // the optional group are not.
        assert_eq!(p.required_words.len(), 1);
        assert!(p.required_words[0].len() >= 2);
        assert_eq!(p.required_types.len(), 1);
        let p = parse("(attack {place}|bombing {place})").unwrap();
        assert_eq!(p.required_types.len(), 1);
    }

    #[test]
    fn neighbouring_one_word_alternatives_are_one_test() {
        let words = |p: &Pattern| p.prog.iter().filter(|i| matches!(i, Inst::Word(_))).count();
        let splits = |p: &Pattern| {
            p.prog
                .iter()
                .filter(|i| matches!(i, Inst::Split(..)))
                .count()
        };
        let p = parse("(killed|died|dead) by").unwrap();
        assert_eq!((words(&p), splits(&p)), (2, 0));
        // A longer alternative splits the runs, which keep their order.
        let p = parse("(killed|died|shot dead|dead|hurt) by").unwrap();
        assert_eq!((words(&p), splits(&p)), (5, 2));
    }

    #[test]
    fn capture_with_a_constant() {
        let p = parse(r#"(improvised explosive device|ied):means="IED" {place}"#).unwrap();
        assert_eq!(p.slots[0].name, "means");
        assert_eq!(p.slots[0].value.as_deref(), Some("IED"));
        assert!(parse(r#"(a):means="IED"#).is_err());
    }

    #[test]
    fn escaped_punctuation_is_a_literal_word() {
        let p = parse(r"militants \( reportedly? {group} \)").unwrap();
        assert_eq!(p.slots.len(), 1);
        assert_eq!(p.required_words.len(), 3);
    }

    #[test]
    fn errors_have_offsets() {
        assert_eq!(parse("{plac} saw").unwrap_err().at, 1);
        assert_eq!(parse("saw (a|b").unwrap_err().at, 4);
        assert_eq!(parse("saw a)").unwrap_err().at, 5);
        assert_eq!(parse("a ~0 b").unwrap_err().at, 2);
        assert!(parse("... a").is_err());
        assert!(parse("{count:a:b:c}").is_err());
    }
}
