//! Numbers, counts, quantities, money and percents, from `rules/counts.toml`
//! (number words, qualifiers, counted-noun classes, casualty roles) and
//! `rules/units.toml` (units and currencies).
//!
//! A value is found around a number (digits such as "1,200" and "7.92", or
//! words such as "twenty-five", "a dozen", "three hundred", "dozens") and
//! covers, in order:
//!
//! ```text
//! [qualifier | between] [currency] NUMBER [scale] [- | to | and NUMBER] [unit | currency word | counted noun]
//! "almost"              "$"       "1.5"  "billion"                      "terror attacks"
//! ```
//!
//! - With a unit ("7.92 points", "45%") it is a `quantity` or a `percent`;
//!   with a currency ("$1.5 billion", "Rs 50 million", "₹500 crore") it is
//!   `money` with its ISO code; crore = 10^7 and lakh = 10^5.
//! - With a counted noun it is a `count`: `noun` is the phrase as written
//!   ("terror attacks", "police and first responders") and `unit` the class of
//!   its head, matched by Snowball stem ("attack").
//! - A casualty verb later in the clause ("were killed", "two others
//!   injured") sets `extra.role` (`killed`, `injured`, `arrested`,
//!   `abducted`); a count with no noun class takes its role as `unit`. A bare
//!   number is a count only when a role follows it ("12 were killed").
//! - Ranges ("4-5", "40 to 50", "between 40 and 50") have `value` = `min`,
//!   with `min` and `max` set. Vague amounts ("several", "dozens",
//!   "hundreds") have `value` = `min` (3; twice the unit: 24, 200) and
//!   `qualifier: approx`. "42+" is `more_than` 42.
//! - The head of a counted phrase is its rightmost class noun ("nine
//!   terrorist camps" -> camp); "the"/"all" before the number belong to the
//!   count's text ("all 33 militants"). A label names the class of a bare
//!   number: "Fatalities: 9" -> 9, unit killed. Small numbers in words count
//!   only nouns of a known class ("two sides" is not a value).
//!   Fractions ("two-thirds") are percents (66.67) with `extra.fraction`.
//! - Not values: years (1800-2100 without a counted noun, or after "in",
//!   "since"...), anything inside a temporal value, ordinals ("2nd"),
//!   labels ("Section 144", "Article 370", "F-16"), clock times, phone
//!   numbers, "one of", and time spans ("three days", owned by the temporal
//!   stage).

mod scan;

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use rust_stemmers::{Algorithm, Stemmer};
use serde_json::Value as Json;

use crate::document::Document;
use crate::layers::{Qualifier, Value, ValueType};
use crate::pipeline::{Example, Expect};
use crate::rules::{RuleError, RuleFile, RulePack};
use crate::segment::{fold_phrase, Segmentation};

/// A counted-noun class (`[[count]]`): its unit, and whether it is a
/// casualty role.
#[derive(Debug, Clone)]
struct Class {
    unit: String,
    rule: String,
    role: bool,
}

/// A unit of measure (`[[unit]]`).
#[derive(Debug, Clone)]
struct Unit {
    unit: String,
    vtype: ValueType,
    rule: String,
    /// Only after digits: "7.92 points", not "three points" (remarks).
    digits_only: bool,
}

/// A currency (`[[currency]]`).
#[derive(Debug, Clone)]
struct Currency {
    code: String,
    /// Folded words whose presence in the document favours this currency
    /// when a symbol is shared ("Rs": PKR or INR): the entry's `context`,
    /// and the one-word names, aliases and demonyms of every curated place
    /// in its `country` ("amritsar", "srinagar", "indian").
    context: FxSet<String>,
    /// The place id (`in`) of the country whose places are context.
    country: Option<String>,
    rule: String,
}

/// The compiled number, unit and count-noun rules.
#[derive(Debug, Default)]
pub struct NumberRules {
    /// Folded number word -> value ("twenty" -> 20, "dozen" -> 12).
    cardinal: FxMap<String, u64>,
    /// Folded scale word -> multiplier ("million", "crore", "bn").
    scale: FxMap<String, u64>,
    /// Folded vague plural -> its minimum ("dozens" -> 24).
    vague: FxMap<String, u64>,
    /// The first two bytes and the shortest and longest length of the
    /// `cardinal` and `vague` words: most words of a text are ruled out as a
    /// number's start by these before any hashing.
    word_first: crate::segment::FirstPairs,
    word_len: (usize, usize),
    /// Folded fraction word -> denominator ("thirds" -> 3).
    fraction: FxMap<String, u64>,
    /// Folded token sequence -> (qualifier, rule).
    qualifiers: FxMap<String, (Qualifier, String)>,
    max_qualifier: usize,
    /// Folded words before a number that make it a label.
    labels: FxSet<String>,
    /// Folded words after a number that make it a time span, not a count.
    not_counted: FxSet<String>,
    classes: Vec<Class>,
    /// Stem sequence (space-joined) -> class index.
    nouns: FxMap<String, usize>,
    /// Folded sequence as written in the rules -> class index (wins over
    /// the stem).
    noun_words: FxMap<String, usize>,
    max_noun: usize,
    /// Folded token sequence -> role class index.
    verbs: FxMap<String, usize>,
    /// The first words of `verbs`, and their first two bytes
    /// (`is_verb_first`).
    verb_firsts: FxSet<String>,
    verb_pairs: crate::segment::FirstPairs,
    /// Folded participle right before a count -> role class index
    /// ("killing 21 miners and wounding seven others").
    verbs_before: FxMap<String, usize>,
    /// The most words a `verbs_before` phrase has.
    max_verb_before: usize,
    max_verb: usize,
    units: Vec<Unit>,
    /// Folded token sequence -> unit index.
    unit_words: FxMap<String, usize>,
    max_unit: usize,
    currencies: Vec<Currency>,
    /// Folded token sequence before the number -> currency index.
    currency_symbols: FxMap<String, usize>,
    /// Symbols (and words after the number: "rupees") claimed by several
    /// currencies: every claimant, in order.
    shared_symbols: FxMap<String, Vec<usize>>,
    /// Every currency's `context` words, inverted: word -> the currencies
    /// it favours (one look-up per token of the document, not one per
    /// currency).
    context_words: FxMap<String, Vec<usize>>,
    /// The first two bytes of `context_words`.
    context_pairs: crate::segment::FirstPairs,
    max_symbol: usize,
    /// Folded token sequence after the number -> currency index.
    currency_words: FxMap<String, usize>,
    max_currency_word: usize,
    /// First tokens of every phrase looked up forwards (verbs, units,
    /// currency words), last tokens of those looked up backwards
    /// (qualifiers, currency symbols), and last words and stems of the
    /// nouns: one cheap test before building any key.
    firsts: FxSet<String>,
    lasts: FxSet<String>,
    noun_lasts: FxSet<String>,
    digits_rule: String,
    cardinal_rule: String,
    vague_rule: String,
    fraction_rule: String,
}

/// Tables this stage reads.
const TABLES: [&str; 4] = ["number", "count", "unit", "currency"];

impl NumberRules {
    /// The currencies whose context word `w` (folded) is.
    fn context_of(&self, w: &str) -> Option<&[usize]> {
        if !self.context_pairs.may_hold(w) {
            return None;
        }
        self.context_words.get(w).map(Vec::as_slice)
    }

    /// Whether `w` (folded) is the first word of a casualty verb.
    fn is_verb_first(&self, w: &str) -> bool {
        self.verb_pairs.may_hold(w) && self.verb_firsts.contains(w)
    }

    /// Whether `w` (folded) is a number word ("twenty") or a vague plural
    /// ("dozens").
    fn is_number_word(&self, w: &str) -> bool {
        (self.word_len.0..=self.word_len.1).contains(&w.len())
            && self.word_first.may_hold(w)
            && (self.cardinal.contains_key(w) || self.vague.contains_key(w))
    }

    /// The examples the pack's entries for this stage carry (run by
    /// `factsift check`): `examples = [{ text, span, value, type }]`.
    pub fn examples(pack: &RulePack) -> Vec<Example> {
        let mut out = Vec::new();
        for table in TABLES {
            for (file, entry) in pack.entries(table) {
                let Some(id) = entry.get("id").and_then(|v| v.as_str()) else {
                    continue;
                };
                let default_type = match table {
                    "currency" => ValueType::Money,
                    "unit" => match entry.get("type").and_then(|v| v.as_str()) {
                        Some("percent") => ValueType::Percent,
                        _ => ValueType::Quantity,
                    },
                    _ => ValueType::Count,
                };
                let Some(list) = entry.get("examples").and_then(|v| v.as_array()) else {
                    continue;
                };
                for ex in list {
                    let (Some(text), Some(value)) =
                        (ex.get("text").and_then(|v| v.as_str()), ex.get("value"))
                    else {
                        continue;
                    };
                    let Ok(value) = serde_json::to_value(value) else {
                        continue;
                    };
                    let vtype = ex
                        .get("type")
                        .and_then(|v| v.as_str())
                        .and_then(ValueType::parse)
                        .unwrap_or(default_type);
                    out.push(Example {
                        file: file.path.clone(),
                        id: id.to_string(),
                        text: text.to_string(),
                        date: None,
                        expect: Expect::Value {
                            vtype,
                            text: ex.get("span").and_then(|v| v.as_str()).map(str::to_string),
                            value,
                        },
                    });
                }
            }
        }
        out
    }

    /// Compiles the `[[number]]`, `[[count]]`, `[[unit]]` and `[[currency]]`
    /// entries; reports every broken entry.
    pub fn compile(pack: &RulePack) -> Result<NumberRules, Vec<RuleError>> {
        let mut r = NumberRules::default();
        let mut errors = Vec::new();
        let stemmer = Stemmer::create(Algorithm::English);
        for table in TABLES {
            for (file, entry) in pack.entries(table) {
                let Some(id) = entry.get("id").and_then(|v| v.as_str()) else {
                    errors.push(file.error(
                        None,
                        Some(&format!("[[{table}]]")),
                        "entry without an `id`",
                    ));
                    continue;
                };
                if let Some(list) = entry.get("examples") {
                    check_examples(file, id, list, &mut errors);
                }
                let rule = file.rule_id(id);
                match table {
                    "number" => r.compile_number(file, id, entry, rule, &mut errors),
                    "count" => r.compile_count(file, id, entry, rule, &stemmer, &mut errors),
                    "unit" => r.compile_unit(file, id, entry, rule, &mut errors),
                    _ => r.compile_currency(file, id, entry, rule, &mut errors),
                }
            }
        }
        r.add_place_context(pack);
        r.verb_pairs = crate::segment::FirstPairs::of(&r.verb_firsts);
        r.word_first = crate::segment::FirstPairs::of(r.cardinal.keys().chain(r.vague.keys()));
        r.word_len = r
            .cardinal
            .keys()
            .chain(r.vague.keys())
            .fold((usize::MAX, 0), |(lo, hi), w| {
                (lo.min(w.len()), hi.max(w.len()))
            });
        for (c, cur) in r.currencies.iter().enumerate() {
            for w in &cur.context {
                r.context_words.entry(w.clone()).or_default().push(c);
            }
        }
        r.context_pairs = crate::segment::FirstPairs::of(r.context_words.keys());
        if errors.is_empty() {
            Ok(r)
        } else {
            Err(errors)
        }
    }

    /// Adds to each currency with a `country` the one-word forms of the
    /// curated places whose parent chain reaches that country (the country
    /// itself included): names and aliases matched case-insensitively, and
    /// demonyms. A form places of two countries share ("Punjab",
    /// "Hyderabad") favours neither.
    fn add_place_context(&mut self, pack: &RulePack) {
        if self.currencies.iter().all(|c| c.country.is_none()) {
            return;
        }
        let places: Vec<&toml::Value> = pack.entries("place").map(|(_, e)| e).collect();
        fn field<'a>(e: &'a toml::Value, k: &str) -> Option<&'a str> {
            e.get(k).and_then(|v| v.as_str())
        }
        let by_id: HashMap<&str, &toml::Value> = places
            .iter()
            .filter_map(|e| Some((field(e, "id")?, *e)))
            .collect();
        let list = |e: &toml::Value, k: &str| -> Vec<String> {
            e.get(k)
                .and_then(|v| v.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default()
        };
        // Folded form -> the country it names (None once two disagree).
        let mut forms: HashMap<String, Option<String>> = HashMap::new();
        for e in &places {
            let mut cur = *e;
            let mut country = None;
            for _ in 0..8 {
                if field(cur, "kind") == Some("country") {
                    country = field(cur, "id");
                    break;
                }
                match field(cur, "parent").and_then(|p| by_id.get(p)) {
                    Some(p) => cur = p,
                    None => break,
                }
            }
            let Some(country) = country else { continue };
            let abbreviations = list(e, "abbreviations");
            let mut words = list(e, "aliases");
            words.extend(list(e, "demonyms"));
            if let Some(name) = field(e, "name").filter(|n| !abbreviations.iter().any(|a| a == n)) {
                words.push(name.to_string());
            }
            for w in words {
                let f = fold_phrase(&w);
                if f.is_empty() || f.contains(' ') {
                    continue;
                }
                forms
                    .entry(f)
                    .and_modify(|c| {
                        if c.as_deref() != Some(country) {
                            *c = None;
                        }
                    })
                    .or_insert_with(|| Some(country.to_string()));
            }
        }
        for (form, country) in forms {
            let Some(country) = country else { continue };
            for cur in &mut self.currencies {
                if cur.country.as_deref() == Some(country.as_str()) {
                    cur.context.insert(form.clone());
                }
            }
        }
    }

    fn compile_number(
        &mut self,
        file: &RuleFile,
        id: &str,
        entry: &toml::Value,
        rule: String,
        errors: &mut Vec<RuleError>,
    ) {
        let kind = entry.get("kind").and_then(|v| v.as_str()).unwrap_or("");
        match kind {
            "digits" => self.digits_rule = rule,
            "cardinal" | "scale" | "vague" | "fraction" => {
                let Some(values) = entry.get("values").and_then(|v| v.as_table()) else {
                    errors.push(file.error(Some(id), Some("values"), "`values` must be a table of word = number"));
                    return;
                };
                let mut map = FxMap::default();
                for (word, n) in values {
                    match n.as_integer().and_then(|n| u64::try_from(n).ok()) {
                        Some(n) => {
                            map.insert(fold_phrase(word), n);
                        }
                        None => errors.push(file.error(
                            Some(id),
                            Some(word),
                            format!("`{word}` must be a non-negative integer"),
                        )),
                    }
                }
                let (target, rule_slot) = match kind {
                    "cardinal" => (&mut self.cardinal, Some(&mut self.cardinal_rule)),
                    "scale" => (&mut self.scale, None),
                    "vague" => (&mut self.vague, Some(&mut self.vague_rule)),
                    _ => (&mut self.fraction, Some(&mut self.fraction_rule)),
                };
                target.extend(map);
                if let Some(slot) = rule_slot {
                    *slot = rule;
                }
            }
            "qualifier" => {
                let q = entry
                    .get("qualifier")
                    .and_then(|v| v.as_str())
                    .and_then(Qualifier::parse);
                let Some(q) = q else {
                    errors.push(file.error(
                        Some(id),
                        Some("qualifier ="),
                        "`qualifier` must be one of approx, more_than, at_least, less_than, at_most",
                    ));
                    return;
                };
                for p in strings(file, id, entry, "phrases", errors) {
                    let key = fold_phrase(&p);
                    self.max_qualifier = self.max_qualifier.max(key.split(' ').count());
                    self.lasts.insert(last_part(&key).to_string());
                    self.qualifiers.insert(key, (q, rule.clone()));
                }
            }
            "label" => {
                for p in strings(file, id, entry, "phrases", errors) {
                    self.labels.insert(fold_phrase(&p));
                }
            }
            "not-counted" => {
                for p in strings(file, id, entry, "phrases", errors) {
                    self.not_counted.insert(fold_phrase(&p));
                }
            }
            other => errors.push(file.error(
                Some(id),
                Some("kind"),
                format!(
                    "unknown number kind `{other}` (expected digits, cardinal, scale, vague, fraction, qualifier, label, not-counted)"
                ),
            )),
        }
    }

    fn compile_count(
        &mut self,
        file: &RuleFile,
        id: &str,
        entry: &toml::Value,
        rule: String,
        stemmer: &Stemmer,
        errors: &mut Vec<RuleError>,
    ) {
        let Some(unit) = entry.get("unit").and_then(|v| v.as_str()) else {
            errors.push(file.error(Some(id), None, "count class without a `unit`"));
            return;
        };
        let verbs = strings(file, id, entry, "verbs", errors);
        let idx = self.classes.len();
        for verb in strings(file, id, entry, "verbs_before", errors) {
            let key = fold_phrase(&verb);
            self.max_verb_before = self.max_verb_before.max(key.split(' ').count());
            // Looked up backwards from the count (`phrase_ending`).
            self.lasts.insert(last_part(&key).to_string());
            self.verbs_before.entry(key).or_insert(idx);
        }
        self.classes.push(Class {
            unit: unit.to_string(),
            rule,
            role: !verbs.is_empty(),
        });
        for noun in strings(file, id, entry, "nouns", errors) {
            let key = stem_key(stemmer, &noun);
            let exact = fold_phrase(&noun);
            if key.is_empty() {
                errors.push(file.error(Some(id), Some(&noun), "empty noun"));
                continue;
            }
            if let Some(&other) = self.noun_words.get(&exact) {
                if self.classes[other].unit != unit {
                    errors.push(file.error(
                        Some(id),
                        Some(&format!("\"{noun}\"")),
                        format!(
                            "noun `{noun}` is already in class `{}`",
                            self.classes[other].unit
                        ),
                    ));
                }
                continue;
            }
            self.max_noun = self.max_noun.max(key.split(' ').count());
            self.noun_lasts.insert(last_part(&key).to_string());
            self.noun_lasts.insert(last_part(&exact).to_string());
            self.noun_words.insert(exact, idx);
            // Two nouns may share a stem ("operative", "operation"): the
            // written form decides, the stem only catches other inflections.
            self.nouns.entry(key).or_insert(idx);
        }
        for verb in verbs {
            add_phrase(
                &verb,
                idx,
                &mut self.verbs,
                &mut self.max_verb,
                &mut self.firsts,
            );
            self.verb_firsts
                .insert(first_part(&fold_phrase(&verb)).to_string());
        }
    }

    fn compile_unit(
        &mut self,
        file: &RuleFile,
        id: &str,
        entry: &toml::Value,
        rule: String,
        errors: &mut Vec<RuleError>,
    ) {
        let Some(unit) = entry.get("unit").and_then(|v| v.as_str()) else {
            errors.push(file.error(Some(id), None, "unit without a `unit` name"));
            return;
        };
        let vtype = match entry.get("type").and_then(|v| v.as_str()) {
            None | Some("quantity") => ValueType::Quantity,
            Some("percent") => ValueType::Percent,
            Some(other) => {
                errors.push(file.error(
                    Some(id),
                    Some("type"),
                    format!("unit type `{other}` must be quantity or percent"),
                ));
                return;
            }
        };
        let idx = self.units.len();
        let digits_only = match entry.get("digits_only") {
            None => false,
            Some(toml::Value::Boolean(b)) => *b,
            Some(_) => {
                errors.push(file.error(
                    Some(id),
                    Some("digits_only"),
                    "`digits_only` must be true or false",
                ));
                false
            }
        };
        self.units.push(Unit {
            unit: unit.to_string(),
            vtype,
            rule,
            digits_only,
        });
        for w in strings(file, id, entry, "words", errors) {
            add_phrase(
                &w,
                idx,
                &mut self.unit_words,
                &mut self.max_unit,
                &mut self.firsts,
            );
        }
    }

    fn compile_currency(
        &mut self,
        file: &RuleFile,
        id: &str,
        entry: &toml::Value,
        rule: String,
        errors: &mut Vec<RuleError>,
    ) {
        let code = entry.get("code").and_then(|v| v.as_str());
        let Some(code) = code.filter(|c| c.len() == 3 && c.chars().all(|c| c.is_ascii_uppercase()))
        else {
            errors.push(file.error(
                Some(id),
                Some("code"),
                "currency needs a `code` of three capital letters (ISO 4217)",
            ));
            return;
        };
        let idx = self.currencies.len();
        let context = strings(file, id, entry, "context", errors)
            .iter()
            .map(|w| fold_phrase(w))
            .collect();
        let country = entry
            .get("country")
            .and_then(|v| v.as_str())
            .map(str::to_string);
        self.currencies.push(Currency {
            code: code.to_string(),
            context,
            country,
            rule,
        });
        for s in strings(file, id, entry, "symbols", errors) {
            let key = fold_phrase(&s);
            self.max_symbol = self.max_symbol.max(key.split(' ').count());
            self.lasts.insert(last_part(&key).to_string());
            match self.currency_symbols.get(&key) {
                Some(&other) => self
                    .shared_symbols
                    .entry(key)
                    .or_insert_with(|| vec![other])
                    .push(idx),
                None => {
                    self.currency_symbols.insert(key, idx);
                }
            }
        }
        for w in strings(file, id, entry, "words", errors) {
            // A word two currencies list ("rupees") is shared like a symbol.
            let key = fold_phrase(&w);
            if let Some(&other) = self.currency_words.get(&key) {
                if other != idx {
                    let list = self
                        .shared_symbols
                        .entry(key)
                        .or_insert_with(|| vec![other]);
                    if !list.contains(&idx) {
                        list.push(idx);
                    }
                }
            }
            add_phrase(
                &w,
                idx,
                &mut self.currency_words,
                &mut self.max_currency_word,
                &mut self.firsts,
            );
        }
    }

    /// Appends every count, quantity, money and percent value to `out`.
    /// `temporal` holds the temporal values already found: numbers inside
    /// them (years, days) are not counts.
    pub fn find(
        &self,
        doc: &Document,
        seg: &Segmentation,
        temporal: &[Value],
        out: &mut Vec<Value>,
    ) {
        scan::Scanner::new(self, &doc.text, seg, temporal).run(out);
    }
}

/// Files a phrase matched from its first word (a verb, a unit or currency
/// word): folded into `map` (the first entry keeps it), with the longest
/// phrase length and the first word the scanner looks for.
fn add_phrase(
    phrase: &str,
    idx: usize,
    map: &mut FxMap<String, usize>,
    max_words: &mut usize,
    firsts: &mut FxSet<String>,
) {
    let key = fold_phrase(phrase);
    *max_words = (*max_words).max(key.split(' ').count());
    firsts.insert(first_part(&key).to_string());
    map.entry(key).or_insert(idx);
}

/// The string list `key` of an entry (absent = empty); anything else is an
/// error.
fn strings(
    file: &RuleFile,
    id: &str,
    entry: &toml::Value,
    key: &str,
    errors: &mut Vec<RuleError>,
) -> Vec<String> {
    match entry.get(key) {
        None => Vec::new(),
        Some(toml::Value::Array(items)) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                match item.as_str() {
                    Some(s) if !s.trim().is_empty() => out.push(s.to_string()),
                    _ => errors.push(file.error(
                        Some(id),
                        Some(key),
                        format!("`{key}` must hold non-empty strings"),
                    )),
                }
            }
            out
        }
        Some(_) => {
            errors.push(file.error(
                Some(id),
                Some(key),
                format!("`{key}` must be a list of strings"),
            ));
            Vec::new()
        }
    }
}

/// Examples must have a text and a value, and a known type.
fn check_examples(file: &RuleFile, id: &str, list: &toml::Value, errors: &mut Vec<RuleError>) {
    let Some(items) = list.as_array() else {
        errors.push(file.error(Some(id), Some("examples"), "`examples` must be a list"));
        return;
    };
    for ex in items {
        let text = ex.get("text").and_then(|v| v.as_str());
        if text.is_none() || ex.get("value").is_none() {
            errors.push(file.error(
                Some(id),
                Some("examples"),
                "each example needs a `text` and a `value`",
            ));
            continue;
        }
        if let Some(t) = ex.get("type") {
            if t.as_str().and_then(ValueType::parse).is_none() {
                errors.push(file.error(
                    Some(id),
                    text,
                    "example `type` must be count, quantity, money or percent",
                ));
            }
        }
    }
}

fn first_part(key: &str) -> &str {
    key.split(' ').next().unwrap_or(key)
}

fn last_part(key: &str) -> &str {
    key.rsplit(' ').next().unwrap_or(key)
}

/// FxHash (rustc's hasher): the rule tables are looked up once or more per
/// token, and their keys are short words, for which SipHash is needlessly
/// slow. No key is attacker-chosen: they come from the rule pack.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(b)).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ b as u64).wrapping_mul(K);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

pub(crate) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;
pub(crate) type FxSet<K> = HashSet<K, BuildHasherDefault<Fx>>;

/// The stem sequence of a phrase, as the segmenter stems document words.
fn stem_key(stemmer: &Stemmer, phrase: &str) -> String {
    let folded = fold_phrase(phrase);
    let mut out = String::new();
    for w in folded.split(' ').filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        let word = w.chars().next().is_some_and(|c| c.is_alphabetic());
        if word {
            out.push_str(&stemmer.stem(w));
        } else {
            out.push_str(w);
        }
    }
    out
}

/// A number as a decimal: `mantissa / 10^places`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Decimal {
    pub mantissa: u128,
    pub places: u32,
}

impl Decimal {
    pub fn int(n: u64) -> Decimal {
        Decimal {
            mantissa: n as u128,
            places: 0,
        }
    }

    /// Multiplies by an integer, keeping the value exact.
    pub fn times(self, n: u64) -> Option<Decimal> {
        let mut d = Decimal {
            mantissa: self.mantissa.checked_mul(n as u128)?,
            places: self.places,
        };
        while d.places > 0 && d.mantissa % 10 == 0 {
            d.mantissa /= 10;
            d.places -= 1;
        }
        Some(d)
    }

    /// The value as JSON: an integer when whole, else the nearest float.
    pub fn to_json(self) -> Json {
        if self.places == 0 {
            if let Ok(n) = u64::try_from(self.mantissa) {
                return Json::from(n);
            }
        }
        let s = self.to_string();
        s.parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Json::Number)
            .unwrap_or(Json::Null)
    }

    /// Parses digits with `,` thousands separators and one `.`:
    /// "1,200", "7.92", and the Indian lakh grouping ("25,00,000",
    /// "1,50,000": twos before the last three). Misplaced commas give
    /// `None`.
    pub fn parse(s: &str) -> Option<Decimal> {
        let (int, frac) = match s.split_once('.') {
            Some((i, f)) => (i, f),
            None => (s, ""),
        };
        if int.is_empty() || frac.contains('.') || frac.contains(',') {
            return None;
        }
        let groups: Vec<&str> = int.split(',').collect();
        let western =
            |g: &[&str]| !g[0].is_empty() && g[0].len() <= 3 && g[1..].iter().all(|g| g.len() == 3);
        let indian = |g: &[&str]| {
            g.len() >= 3
                && (1..=2).contains(&g[0].len())
                && g[g.len() - 1].len() == 3
                && g[1..g.len() - 1].iter().all(|g| g.len() == 2)
        };
        if groups.len() > 1 && !western(&groups) && !indian(&groups) {
            return None;
        }
        let mut mantissa: u128 = 0;
        for c in int.chars().filter(|&c| c != ',').chain(frac.chars()) {
            let d = c.to_digit(10)?;
            mantissa = mantissa.checked_mul(10)?.checked_add(d as u128)?;
        }
        Some(Decimal {
            mantissa,
            places: frac.len() as u32,
        })
    }
}

impl std::fmt::Display for Decimal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.places == 0 {
            return write!(f, "{}", self.mantissa);
        }
        let p = 10u128.pow(self.places);
        write!(
            f,
            "{}.{:0width$}",
            self.mantissa / p,
            self.mantissa % p,
            width = self.places as usize
        )
    }
}

#[cfg(test)]
mod tests;
