//! Temporal expressions as TIMEX3 values (`date`, `time`, `duration`, `set`),
//! from the patterns in `rules/dates.toml`.
//!
//! The split follows HeidelTime: `[[date_word]]` entries are normalization
//! tables (months, weekdays, number words, units...), `[[date]]` entries are
//! rules: a regex over the sentence text whose `%table` macros expand to the
//! table's words, and a value template whose `{group}` slots take the named
//! group's text (through the table of the same name, when there is one).
//! A template may call one anchoring function (`@rel(year,-1)`,
//! `@weekday(5,)`...) that resolves against the document date with the news
//! convention (a bare weekday or month is the latest one on or before the
//! document date unless the tense looks ahead); without a document date the
//! value stays underspecified (`XXXX-XX-XX`), never guessed from the clock.
//!
//! Every pattern is compiled once, in ASCII mode, into one lazy DFA
//! ([`RuleStarts`]); [`TemporalRules::find`] walks it anchored from each
//! ASCII word boundary of a sentence (most die within a byte or two: few
//! words start a date), and runs a rule's own regex only where the DFA says
//! it matches, each built the first time it is needed. A
//! month or day without its year takes it from a dated phrase opening its
//! sentence, else from the document date, else from the first full date
//! of a text that has none.
//! Overlapping matches resolve to the longest extent. Words of the `mod` and
//! `quant_mod` tables right before a value join its extent and set its TIMEX3
//! `mod`; since/until/before/after/by/from/between before it set
//! `extra["relation"]` (and the other end of a from/between range gets `to`).

use std::collections::HashMap;

use chrono::{Datelike, Duration, Months, NaiveDate};
use regex::Regex;
use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::meta;
use regex_automata::nfa::thompson::backtrack;
use regex_automata::util::captures::Captures;
use regex_automata::util::pool::Pool;
use regex_automata::util::start;
use regex_automata::{Anchored, MatchKind};
use regex_automata::{Input, PatternID};
use serde_json::Value as Json;

use crate::document::Document;
use crate::layers::{Value, ValueType};
use crate::pipeline::{Example, Expect};
use crate::rules::{RuleError, RuleFile, RulePack};
use crate::segment::{BuildWordHasher, Segmentation};
use crate::span::Span;

/// The compiled temporal patterns.
#[derive(Debug)]
pub struct TemporalRules {
    /// Where each rule can start (`None` when the rules failed to compile).
    starts: Option<RuleStarts>,
    rules: Vec<Rule>,
    tables: Vec<Table>,
    cues: Cues,
    /// `mod` table words right before a date ("late", "the end of").
    date_mod: Option<PrefixWords>,
    /// `quant_mod` table words right before a duration or time ("about").
    quant_mod: Option<PrefixWords>,
    /// Ids of rules whose value counts back from another date ("a year
    /// earlier", "the year-ago quarter"): such a value is never the
    /// reference time of a later "earlier"/"later", or comparisons would
    /// chain one more year back each time.
    compared: Vec<String>,
}

/// Fixed context patterns: tense, range relations, quarterly reports.
#[derive(Debug)]
struct Cues {
    /// Words that make a sentence speak of the future (for bare weekdays).
    future: Regex,
    /// Sentences about quarterly results.
    quarterly: Regex,
    /// A word right before a value that sets its tense.
    local: Regex,
    /// A past-tense verb right before a value ("said Friday").
    past_verb: Regex,
    /// "had filed", "had not called": a past perfect (group 1: the participle).
    past_perfect: Regex,
    /// A past-tense verb anywhere ("was", "had", "rescued").
    past_marker: Regex,
    /// A modal passive before a past participle ("will be lifted Friday",
    /// "is to be held on Monday"): the participle does not make it past.
    passive_future: Regex,
    /// A present-tense verb of a scheduled event right before a value
    /// ("meet Monday", "opens Friday"): it looks ahead.
    present_verb: Regex,
    /// "between May and June 2025": the joiner between two values.
    joiner: Regex,
}

impl Cues {
    fn new() -> Result<Cues, regex::Error> {
        Ok(Cues {
            future: Regex::new(
                r"(?i-u)(?:\b(?:will|shall|would|planned\s+(?:to|for)|going\s+to|is\s+to|are\s+to|scheduled|expected\s+to|plans?|planning|as\s+soon\s+as|set\s+to|payable|due\s+to|upcoming)\b|'ll\b)",
            )?,
            quarterly: Regex::new(r"(?i-u)\bquarter")?,
            local: Regex::new(
                r"(?i-u)\b(since|by|through|until|till|effective|starting|beginning)\s+$",
            )?,
            past_verb: Regex::new(
                r"(?i-u)\b([a-z]+ed|said|told|met|held|left|went|came|gave|took|made|saw|began|spoke|wrote|won|lost|fell|rose|sent|paid|sold|bought|got|found|struck|led|ran|was|were|had)\s+(?:(?:on|late|early|last|this\s+past)\s+)?$",
            )?,
            past_marker: Regex::new(
                r"(?-u)\b(?:(?i:was|were|had|did|said|told|met|went|came|gave|took|saw|began|spoke|wrote|won|fell|rose|bought)|[a-z]{2,}[a-df-z]ed)\b",
            )?,
            present_verb: Regex::new(
                r"(?i-u)\b(meets?|begins?|starts?|opens?|ends?|arrives?|leaves?|visits?|votes?|resumes?|expires?|closes?|returns?|is|are)\s+(?:(?:on|[a-z]+ly)\s+)?$",
            )?,
            past_perfect: Regex::new(
                r"(?i-u)\bhad\s+(?:not\s+|never\s+|already\s+)?([a-z]+(?:ed|en|t))\b",
            )?,
            passive_future: Regex::new(
                r"(?i-u)\b(?:will|shall|to|should|must|can|may|might)\s+(?:not\s+)?be\s+$|'ll\s+be\s+$",
            )?,
            joiner: Regex::new(r"(?i-u)^\s*(?:and|to|through|until|-|–|—)\s*$")?,
        })
    }
}

#[derive(Debug)]
struct Table {
    name: String,
    /// Lowercase word -> normalized value.
    words: HashMap<String, String, BuildWordHasher>,
}

#[derive(Debug)]
struct Rule {
    /// `rules/dates.toml#month-day-year`
    rule_id: String,
    /// The rule's pattern as compiled (case flags, `\b`, tables expanded).
    source: String,
    /// Its regex, built the first time the DFA walk reports the rule in a
    /// sentence: most documents need few of the rules, and building all of
    /// them cost more than a megabyte of text takes to search. The walk's
    /// DFA has already checked the pattern; `None` only if it is over a
    /// size limit.
    regex: std::sync::OnceLock<Option<meta::Regex>>,
    /// Its backtracker, built when first needed (`None` if it cannot be).
    backtrack: std::sync::OnceLock<Option<Backtracker>>,
    vtype: ValueType,
    value: Template,
    grain: Option<String>,
    modifier: Option<Template>,
    /// `max`: a range's last value ("9–16 October 2025"); the value is then
    /// its first, and both are written as `min` and `max`.
    max: Option<Template>,
    /// Whether the rule has a `span` group (the reported extent).
    span_group: bool,
    /// `not_before`: the match is dropped when the text right after it
    /// matches this (anchored) pattern; the regex crate has no look-ahead.
    not_before: Option<Regex>,
    /// `not_after`: the match is dropped when the text right before it
    /// (the last 80 bytes) ends with this pattern; no look-behind either.
    not_after: Option<Regex>,
    /// `after`: the match counts only when the sentence's text right before
    /// it ends with this pattern (a look-behind; `^` is the sentence's
    /// start). A rule that needs a word
    /// before its value ("in 2024") says it so rather than in its pattern,
    /// which would start a DFA walk at every "in" of the text.
    after: Option<Regex>,
}

/// A rule's backtracker and a cache per thread.
struct Backtracker {
    bt: backtrack::BoundedBacktracker,
    caches: Pool<backtrack::Cache, BacktrackCacheFn>,
}

impl std::fmt::Debug for Backtracker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Backtracker").finish_non_exhaustive()
    }
}

type BacktrackCacheFn = Box<
    dyn Fn() -> backtrack::Cache + Send + Sync + std::panic::UnwindSafe + std::panic::RefUnwindSafe,
>;

/// A rule's match: its reported extent, the rule, the whole match, how
/// much text the rule saw (the match and its `after` context), the
/// sentence, and the groups when finding the extent needed them.
struct Cand<'h> {
    span: Span,
    rule: usize,
    whole: Span,
    seen: usize,
    piece: Span,
    groups: Option<Groups<'h>>,
}

impl Rule {
    fn regex(&self) -> Option<&meta::Regex> {
        self.regex
            .get_or_init(|| {
                meta::Regex::builder()
                    .configure(meta::Config::new().hybrid_cache_capacity(8 << 20))
                    .build(&self.source)
                    .ok()
            })
            .as_ref()
    }

    /// Its backtracker, built with the regex: what finds a match's groups
    /// once the match's end is known.
    fn backtracker(&self) -> Option<&Backtracker> {
        self.backtrack
            .get_or_init(|| {
                let bt = backtrack::BoundedBacktracker::new(&self.source).ok()?;
                let made = bt.clone();
                let caches = Pool::new(Box::new(move || made.create_cache()) as BacktrackCacheFn);
                Some(Backtracker { bt, caches })
            })
            .as_ref()
    }

    /// The rule's match starting at `x` in `hay`, with its groups. `end`,
    /// when known, is where the longest match from `x` ends (the DFA walk
    /// saw every length). The rule's leftmost-first match and its groups
    /// then come from a backtrack over `x..end` alone, which gives the same
    /// match and groups (look-around still sees the bytes around it) without
    /// the forward search a regex runs first to find the end.
    fn groups_at<'h>(&self, hay: &'h str, x: usize, end: Option<usize>) -> Option<Groups<'h>> {
        if let (Some(end), Some(b)) = (end, self.backtracker()) {
            let mut caps = b.bt.create_captures();
            let input = Input::new(hay).range(x..end).anchored(Anchored::Yes);
            let mut cache = b.caches.get();
            if b.bt.try_search(&mut cache, &input, &mut caps).is_ok() {
                return caps.is_match().then_some(Groups { caps, hay });
            }
        }
        let regex = self.regex()?;
        let mut caps = regex.create_captures();
        regex.search_captures(
            &Input::new(hay).range(x..).anchored(Anchored::Yes),
            &mut caps,
        );
        caps.is_match().then_some(Groups { caps, hay })
    }

    /// Where the text this match needs before it (`after`) starts: the
    /// match's own start without such a need, `None` when the sentence
    /// (`piece`) lacks it.
    fn context_start(&self, text: &str, piece: Span, whole: Span) -> Option<usize> {
        let Some(after) = &self.after else {
            return Some(whole.start);
        };
        // The sentence up to the match: `^` is its start. The pattern ends
        // in `$`, which the regex searches for backwards from the end.
        let before = text.get(piece.start..whole.start)?;
        after.find(before).map(|m| piece.start + m.start())
    }

    /// Whether the text after `span` rules this match out.
    fn blocked(&self, text: &str, span: Span) -> bool {
        let after = self
            .not_before
            .as_ref()
            .is_some_and(|r| text.get(span.end..).is_some_and(|rest| r.is_match(rest)));
        after
            || self
                .not_after
                .as_ref()
                .is_some_and(|r| r.is_match(window(text, span.start, 80)))
    }
}

/// A value template: literal text and `{group}` slots, or one function call
/// whose arguments are templates.
#[derive(Debug, Clone)]
enum Template {
    Pieces(Vec<Piece>),
    /// A function, its arguments and a suffix appended to its result.
    Call(Func, Vec<Vec<Piece>>, Vec<Piece>),
}

#[derive(Debug, Clone)]
enum Piece {
    Lit(String),
    /// Group name, its table (index into `tables`), zero-pad to two digits.
    Group(String, Option<usize>, bool),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Func {
    /// `@year(y)`: a 2- or 4-digit year.
    Year,
    /// `@date(y,m,d)`: a checked calendar date.
    Date,
    /// `@md(m,d)`: month and day in the document's year.
    MonthDay,
    /// `@month(m)`: a month in the document's year.
    Month,
    /// `@rel(unit,offset)`: this/last/next unit.
    Rel,
    /// `@ago(n,unit)`: n units before the document date.
    Ago,
    /// `@later(n,unit)`: n units after the document date.
    Later,
    /// `@weekday(d,dir)`: nearest weekday by the sentence's tense; `dir`
    /// -1 the one before the document date, 1 the one after, 0 the latest
    /// on or before it whatever the tense.
    Weekday,
    /// `@quarter(q)`: quarter of the document's year.
    Quarter,
    /// `@season(s,offset)`: season of the document's year plus offset.
    Season,
    /// `@dur(n,unit)`: a duration `PnU` / `PTnH`.
    Dur,
    /// `@lastq()`: the last completed quarter.
    LastQuarter,
    /// `@time(h,m,ampm)`: a clock time on the document date.
    Time,
    /// `@fy(y)`: a fiscal year, the year named first.
    Fiscal,
    /// `@monthrel(m,offset)`: a month in the document's year plus offset.
    MonthRel,
    /// `@relq(q,offset)`: quarter q of the document's year plus offset.
    RelQuarter,
    /// `@wtime(d,h,m,ampm)`: a clock time on the nearest weekday d.
    WeekdayTime,
    /// `@mdtime(month,day,h,m,ampm)`: a clock time on a month and day.
    MonthDayTime,
    /// `@holiday(MM-DD or name)`: a holiday in the document's year.
    Holiday,
    /// `@yearq(y)`: the reporting quarter (the last completed one) of year y.
    YearQuarter,
    /// `@isoweek(m,d,y)`: the ISO week holding that day; `d` may be `L`,
    /// the middle of the month's last seven days; without `y`, the month's
    /// year as `@month` finds it.
    IsoWeek,
    /// `@from(n,unit)`: n units after (negative: before) the date the text
    /// mentioned last ("four months later", "a year earlier"); without
    /// one, as `@later`/`@ago` on the document date.
    From,
}

impl Func {
    fn parse(name: &str) -> Option<(Func, usize)> {
        Some(match name {
            "year" => (Func::Year, 1),
            "date" => (Func::Date, 3),
            "md" => (Func::MonthDay, 2),
            "month" => (Func::Month, 1),
            "isoweek" => (Func::IsoWeek, 3),
            "rel" => (Func::Rel, 2),
            "ago" => (Func::Ago, 2),
            "later" => (Func::Later, 2),
            "weekday" => (Func::Weekday, 2),
            "quarter" => (Func::Quarter, 1),
            "season" => (Func::Season, 2),
            "dur" => (Func::Dur, 2),
            "lastq" => (Func::LastQuarter, 1),
            "time" => (Func::Time, 3),
            "fy" => (Func::Fiscal, 1),
            "monthrel" => (Func::MonthRel, 2),
            "relq" => (Func::RelQuarter, 2),
            "wtime" => (Func::WeekdayTime, 4),
            "mdtime" => (Func::MonthDayTime, 5),
            "holiday" => (Func::Holiday, 1),
            "yearq" => (Func::YearQuarter, 1),
            "from" => (Func::From, 2),
            _ => return None,
        })
    }
}

/// How far into a sentence (bytes) a date may start and still set the
/// year of the months named after it: a list number or "In early".
const SCENE_SETTER: usize = 12;

/// Groups whose numeric text is zero-padded to two digits.
const PADDED: &[&str] = &["day", "month", "hour", "minute", "week"];

fn str_field<'a>(entry: &'a toml::Value, key: &str) -> Option<&'a str> {
    entry.get(key).and_then(|v| v.as_str())
}

/// A group name without trailing digits (`month2` -> `month`): the table it
/// looks up.
fn base_name(name: &str) -> &str {
    name.trim_end_matches(|c: char| c.is_ascii_digit())
}

impl TemporalRules {
    /// The examples the pack's entries for this stage carry (run by
    /// `factsift check`).
    pub fn examples(pack: &RulePack) -> Vec<Example> {
        let mut out = Vec::new();
        for (file, entry) in pack.entries("date") {
            let Some(id) = str_field(entry, "id") else {
                continue;
            };
            let vtype = str_field(entry, "type")
                .and_then(ValueType::parse)
                .unwrap_or(ValueType::Date);
            let Some(examples) = entry.get("examples").and_then(|v| v.as_array()) else {
                continue;
            };
            for ex in examples {
                let Some(text) = str_field(ex, "text") else {
                    continue;
                };
                let Some(value) = str_field(ex, "value") else {
                    continue;
                };
                let date = str_field(ex, "date")
                    .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
                let vtype = str_field(ex, "type")
                    .and_then(ValueType::parse)
                    .unwrap_or(vtype);
                out.push(Example {
                    file: file.path.clone(),
                    id: id.to_string(),
                    text: text.to_string(),
                    date,
                    expect: Expect::Value {
                        vtype,
                        text: str_field(ex, "span").map(str::to_string),
                        value: Json::String(value.to_string()),
                    },
                });
            }
        }
        out
    }

    pub fn compile(pack: &RulePack) -> Result<TemporalRules, Vec<RuleError>> {
        let mut errors = Vec::new();
        // Tables: a later entry with the same id replaces an earlier one.
        let mut tables: Vec<Table> = Vec::new();
        for (file, entry) in pack.entries("date_word") {
            let Some(id) = str_field(entry, "id") else {
                errors.push(file.error(None, Some("[[date_word]]"), "entry without an `id`"));
                continue;
            };
            let Some(words) = entry.get("words").and_then(|w| w.as_table()) else {
                errors.push(file.error(Some(id), None, "`words` must be a table of word = value"));
                continue;
            };
            let mut map = HashMap::default();
            for (k, v) in words {
                match v.as_str() {
                    Some(v) => {
                        map.insert(k.to_lowercase(), v.to_string());
                    }
                    None => errors.push(file.error(
                        Some(id),
                        Some(k.as_str()),
                        format!("the value of `{k}` must be a string"),
                    )),
                }
            }
            match tables.iter_mut().find(|t| t.name == id) {
                Some(t) => t.words = map,
                None => tables.push(Table {
                    name: id.to_string(),
                    words: map,
                }),
            }
        }
        // Rules, in order; a later entry with the same id replaces an earlier one.
        let mut order: Vec<(String, &RuleFile, &toml::Value)> = Vec::new();
        for (file, entry) in pack.entries("date") {
            let Some(id) = str_field(entry, "id") else {
                errors.push(file.error(None, Some("[[date]]"), "entry without an `id`"));
                continue;
            };
            match order.iter_mut().find(|(i, _, _)| i == id) {
                Some(slot) => *slot = (id.to_string(), file, entry),
                None => order.push((id.to_string(), file, entry)),
            }
        }
        let mut rules = Vec::new();
        let mut sources = Vec::new();
        let mut origins = Vec::new();
        for (id, file, entry) in order.iter().map(|(i, f, e)| (i.as_str(), *f, *e)) {
            match compile_rule(id, file, entry, &tables) {
                Ok(rule) => {
                    sources.push(rule.source.clone());
                    rules.push(rule);
                    origins.push((id, file));
                }
                Err(e) => errors.push(e),
            }
        }
        let starts = match RuleStarts::new(&sources) {
            Ok(s) => Some(s),
            Err(e) => {
                // Name the rules at fault: each pattern on its own.
                let before = errors.len();
                for (rule, (id, file)) in rules.iter().zip(&origins) {
                    if let Err(e) = build_rule_regex(&rule.source) {
                        errors.push(file.error(
                            Some(id),
                            Some("pattern"),
                            format!("bad pattern: {}", regex_reason(&e)),
                        ));
                    }
                }
                if errors.len() == before {
                    errors.push(RuleError::whole_file("rules/dates.toml", e));
                }
                None
            }
        };
        let date_mod = PrefixWords::new(&tables, "mod");
        let quant_mod = PrefixWords::new(&tables, "quant_mod");
        let cues = match Cues::new() {
            Ok(c) => c,
            Err(e) => {
                errors.push(RuleError::whole_file("temporal", e.to_string()));
                return Err(errors);
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let compared = rules
            .iter()
            .filter(|r| match &r.value {
                Template::Call(Func::From | Func::Ago, ..) => true,
                // `@lastq(-1)`, not `@lastq()` ("the latest quarter").
                Template::Call(Func::LastQuarter, args, _) => args.first().is_some_and(
                    |a| matches!(a.first(), Some(Piece::Lit(l)) if l.starts_with('-')),
                ),
                _ => false,
            })
            .map(|r| r.rule_id.clone())
            .collect();
        Ok(TemporalRules {
            compared,
            starts,
            rules,
            tables,
            cues,
            date_mod,
            quant_mod,
        })
    }

    /// Appends every temporal expression of the document to `out`, anchored
    /// on `doc.date` when it has one.
    pub fn find(&self, doc: &Document, seg: &Segmentation, out: &mut Vec<Value>) {
        let text = doc.text.as_str();
        if self.rules.is_empty() {
            return;
        }
        // Each sentence is searched on its own: the DFA walk says which
        // rules match where, and only those run. Candidates are (extent,
        // rule, whole match, sentence, groups), in document offsets.
        let whole_text = [Span::new(0, text.len())];
        let pieces: Vec<Span> = if seg.sentences.is_empty() {
            whole_text.to_vec()
        } else {
            seg.sentences.iter().map(|s| s.span).collect()
        };
        let mut cands: Vec<Cand> = Vec::new();
        let mut starts: Vec<(usize, usize, usize)> = Vec::new();
        for piece in pieces {
            let Some(hay) = text.get(piece.start..piece.end) else {
                continue;
            };
            let at = piece.start;
            starts.clear();
            let walked = self
                .starts
                .as_ref()
                .is_some_and(|s| s.find(hay, &mut starts).is_ok());
            if !walked {
                // The lazy DFA gave up (it never should on ASCII rules):
                // every rule searches the sentence.
                starts.clear();
                for (ri, rule) in self.rules.iter().enumerate() {
                    if let Some(regex) = rule.regex() {
                        starts.extend(regex.find_iter(hay).map(|m| (ri, m.start(), m.end())));
                    }
                }
            }
            starts.sort_unstable();
            starts.dedup();
            // Per rule, the matches `find_iter` would give: leftmost first,
            // each starting at or after the end of the one before.
            let mut resume = (usize::MAX, 0);
            let mut k = 0;
            while k < starts.len() {
                let (ri, x, end) = starts[k];
                // How many match lengths the walk saw for this rule and start.
                let ends = starts[k..]
                    .iter()
                    .take_while(|s| s.0 == ri && s.1 == x)
                    .count();
                // The longest: no match of the rule from `x` ends after it.
                let last = starts[k + ends - 1].2;
                k += ends;
                if resume.0 == ri && x < resume.1 {
                    continue;
                }
                let rule = &self.rules[ri];
                if !rule.span_group && ends == 1 {
                    // Most rules report their whole match, and most see one
                    // length: the match is known, its groups wait until it
                    // is kept. Else the rule's own leftmost-first match and
                    // its groups come from one backtrack, below.
                    let m = Span::new(x, end);
                    resume = (ri, m.end.max(m.start + 1));
                    let span = Span::new(at + m.start, at + m.end);
                    if !span.is_empty()
                        && ends_on_boundary(text, span.end)
                        && !rule.blocked(text, span)
                    {
                        if let Some(seen) = rule.context_start(text, piece, span) {
                            cands.push(Cand {
                                span,
                                rule: ri,
                                whole: span,
                                seen: span.end - seen,
                                piece,
                                groups: None,
                            });
                        }
                    }
                    continue;
                }
                // The rule's own match from `x` ends at one of the walked
                // ends: when none of them ends a word ("June 20" in "June
                // 2024") the match is dropped below whichever it is, and so
                // is its backtrack, unless where it ends decides whether a
                // later start of the rule is searched.
                if !rule.span_group
                    && starts[k - ends..k]
                        .iter()
                        .all(|s| !ends_on_boundary(text, at + s.2))
                    && !starts.get(k).is_some_and(|s| s.0 == ri && s.1 < last)
                {
                    continue;
                }
                let Some(groups) = rule.groups_at(hay, x, Some(last)) else {
                    continue;
                };
                let Some(whole) = groups.caps.get_match() else {
                    continue;
                };
                resume = (ri, whole.end().max(whole.start() + 1));
                let whole = Span::new(at + whole.start(), at + whole.end());
                let span = groups
                    .index("span")
                    .and_then(|i| groups.caps.get_group(i))
                    .map(|m| Span::new(at + m.start, at + m.end))
                    .unwrap_or(whole);
                if span.is_empty() || !ends_on_boundary(text, span.end) || rule.blocked(text, span)
                {
                    continue;
                }
                let Some(seen) = rule.context_start(text, piece, whole) else {
                    continue;
                };
                cands.push(Cand {
                    span,
                    rule: ri,
                    whole,
                    seen: whole.end - seen,
                    piece,
                    groups: Some(groups),
                });
            }
        }
        if cands.is_empty() {
            return;
        }
        // Longest first, then leftmost, then rule order; keep non-overlapping.
        cands.sort_by(|a, b| {
            // Longest extent, then the rule that saw more context.
            b.span
                .len()
                .cmp(&a.span.len())
                .then(b.seen.cmp(&a.seen))
                .then(a.span.start.cmp(&b.span.start))
                .then(a.rule.cmp(&b.rule))
        });
        // Kept extents by start, so that an overlap check is two look-ups.
        let mut taken = std::collections::BTreeMap::new();
        let mut kept: Vec<Cand> = Vec::new();
        for c in cands {
            if !crate::span::overlaps_kept(&taken, c.span) {
                taken.insert(c.span.start, c.span.end);
                kept.push(c);
            }
        }
        kept.sort_by_key(|k| k.span.start);
        let first = out.len();
        for Cand {
            span,
            rule: ri,
            whole,
            piece,
            groups,
            ..
        } in kept
        {
            let rule = &self.rules[ri];
            // Re-run the rule on its own match to get its groups back,
            // unless finding its span group already did.
            let Some(hay) = text.get(piece.start..piece.end) else {
                continue;
            };
            let Some(caps) = groups.or_else(|| {
                rule.groups_at(
                    hay,
                    whole.start - piece.start,
                    Some(whole.end - piece.start),
                )
            }) else {
                continue;
            };
            // Tense, quarterly context and anchor cost regex runs over
            // the neighbourhood: only the functions that need them ask.
            let ctx = Ctx {
                dct: doc.date,
                future: std::cell::OnceCell::new(),
                quarterly: std::cell::OnceCell::new(),
                src: CtxSource {
                    rules: self,
                    text,
                    seg,
                    span,
                    before: &out[first..],
                },
            };
            let Some(value) = self.render(&rule.value, &caps, &ctx) else {
                continue;
            };
            if value.is_empty() {
                continue;
            }
            let mut span = span;
            let mut prefix_mod = None;
            let is_ref = value.ends_with("_REF");
            // "early Sunday morning": a day's part takes the date mods too.
            let dated = matches!(rule.vtype, ValueType::Date | ValueType::Time) && !is_ref;
            for (words, quant) in [
                (self.date_mod.as_ref().filter(|_| dated), false),
                (self.quant_mod.as_ref().filter(|_| !is_ref), true),
            ]
            .into_iter()
            .filter_map(|(w, q)| Some((w?, q)))
            {
                if prefix_mod.is_some() {
                    break;
                }
                let before = window(text, span.start, 40);
                if let Some(m) = words.find(before) {
                    let start = span.start - before.len() + m.start();
                    let taken = out[first..].last().is_some_and(|p| p.span.end > start);
                    // "Up to 31.12.2024" bounds a stretch of time by a date;
                    // the words are no part of the date ("more than four
                    // decades ago" is: TimeML takes its "more than").
                    let found = lookup(&self.tables[words.table], m.as_str());
                    let bound =
                        quant && rule.vtype == ValueType::Date && found == Some("EQUAL_OR_LESS");
                    if !taken && !bound {
                        prefix_mod = found.map(str::to_string);
                        span = Span::new(start, span.end);
                    }
                }
            }
            let mut v = Value::new(span, rule.vtype, Json::String(value.clone()), &rule.rule_id);
            v.grain = rule.grain.clone().or_else(|| infer_grain(&value));
            if let Some(m) = rule.max.as_ref().and_then(|m| self.render(m, &caps, &ctx)) {
                if !m.is_empty() {
                    v.min = Some(Json::String(value.clone()));
                    v.max = Some(Json::String(m));
                }
            }
            if let Some(m) = &rule.modifier {
                if let Some(m) = self.render(m, &caps, &ctx) {
                    if !m.is_empty() {
                        v.modifier = Some(m);
                    }
                }
            }
            if prefix_mod.is_some() {
                v.modifier = prefix_mod;
            }
            if matches!(rule.value, Template::Call(Func::Fiscal, ..)) {
                // "FY2024-25": the fiscal year as written.
                let written = text.get(span.start..span.end).unwrap_or("");
                v.extra
                    .insert("fiscal".to_string(), Json::String(written.to_string()));
            }
            if let Some(w) = relation_word(window(text, span.start, 12)) {
                v.extra
                    .insert("relation".to_string(), Json::String(w.to_string()));
            }
            out.push(v);
        }
        self.share_years(text, &mut out[first..]);
        self.close_ranges(text, &mut out[first..]);
    }

    fn sentence_of<'t>(&self, text: &'t str, seg: &Segmentation, span: Span) -> &'t str {
        let range = seg
            .sentence_at(span.start)
            .and_then(|i| seg.sentences.get(i))
            .map(|s| s.span)
            .unwrap_or(span);
        text.get(range.start..range.end.max(span.end)).unwrap_or("")
    }

    /// The tense the word right before a value gives it: "by February",
    /// "effective Feb. 1" look ahead; "since March" looks back.
    fn local_tense(&self, text: &str, span: Span) -> Option<bool> {
        let before = window(text, span.start, 40);
        if let Some(m) = self.cues.past_verb.captures(before).and_then(|c| c.get(1)) {
            let w = m.as_str().to_ascii_lowercase();
            let passive = self.cues.passive_future.is_match(&before[..m.start()]);
            if !passive
                && !matches!(
                    w.as_str(),
                    "expected" | "scheduled" | "planned" | "slated" | "proposed"
                )
            {
                return Some(false);
            }
        }
        if self.cues.present_verb.is_match(before) {
            return Some(true);
        }
        let word = self
            .cues
            .local
            .captures(before)?
            .get(1)?
            .as_str()
            .to_ascii_lowercase();
        if word == "since" {
            return Some(false);
        }
        // "Until Thursday, they had not called him a suspect": a deadline
        // in a past-perfect sentence is behind the document date.
        if matches!(word.as_str(), "by" | "until" | "till" | "through") {
            // The clause around the value: back to the last full stop,
            // on to the next one.
            let before = window(text, span.start, 120);
            let before = before.rfind(". ").map_or(before, |i| &before[i + 2..]);
            let after = text.get(span.end..).unwrap_or("");
            let after = after.get(..after.len().min(120)).unwrap_or(after);
            let after = after.find('.').map_or(after, |i| &after[..i]);
            // "had filed", not "had been" (a relative clause's passive).
            let perfect = |s: &str| {
                self.cues.past_perfect.captures_iter(s).any(|c| {
                    c.get(1)
                        .is_some_and(|m| !m.as_str().eq_ignore_ascii_case("been"))
                })
            };
            if perfect(before) || perfect(after) {
                return Some(false);
            }
        }
        Some(true)
    }

    fn sentence_is_future(&self, text: &str, seg: &Segmentation, span: Span) -> bool {
        let range = seg
            .sentence_at(span.start)
            .and_then(|i| seg.sentences.get(i))
            .map(|s| s.span)
            .unwrap_or(span);
        let mut start = span.start.saturating_sub(200).max(range.start);
        let mut end = (span.end + 20).min(range.end.max(span.end)).min(text.len());
        while !text.is_char_boundary(start) {
            start += 1;
        }
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let start = start.min(end);
        let cut = span.start.clamp(start, end);
        // A cue right after the value ("In January the company will ...").
        if self.cues.future.is_match(&text[cut..end]) {
            return true;
        }
        // Before it, the nearest tense marker decides: "will begin the
        // process ... since he was rescued in late November" looks back.
        let before = &text[start..cut];
        let Some(future) = self.cues.future.find_iter(before).last() else {
            return false;
        };
        !self
            .cues
            .past_marker
            .find_iter(&before[future.end()..])
            .any(|m| {
                let w = m.as_str().to_ascii_lowercase();
                // "will be named", "to be held": a participle, not a past.
                // "a still unspecified date", "the proposed plan": an
                // adjective.
                let prev = before[..future.end() + m.start()]
                    .trim_end()
                    .rsplit(|c: char| !c.is_ascii_alphabetic())
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase();
                let passive = self
                    .cues
                    .passive_future
                    .is_match(&before[future.end()..future.end() + m.start()])
                    || matches!(
                        prev.as_str(),
                        "be" | "been"
                            | "being"
                            | "a"
                            | "an"
                            | "the"
                            | "its"
                            | "their"
                            | "his"
                            | "her"
                            | "this"
                            | "that"
                            | "still"
                            | "not"
                            | "yet"
                    )
                    || prev.ends_with("ly");
                !passive
                    && !matches!(
                        w.as_str(),
                        "expected" | "scheduled" | "planned" | "slated" | "proposed"
                    )
            })
    }

    /// "from 2023 to 2024", "between 1985 and 1987": the second end of a
    /// range opened by from/between gets relation `to`.
    fn close_ranges(&self, text: &str, values: &mut [Value]) {
        for i in 1..values.len() {
            let (a, b) = values.split_at_mut(i);
            let (prev, next) = (&a[i - 1], &mut b[0]);
            let opens = prev
                .extra
                .get("relation")
                .and_then(Json::as_str)
                .is_some_and(|r| r == "from" || r == "between");
            if !opens || next.extra.contains_key("relation") || next.span.start < prev.span.end {
                continue;
            }
            if self
                .cues
                .joiner
                .is_match(&text[prev.span.end..next.span.start])
            {
                next.extra
                    .insert("relation".to_string(), Json::String("to".to_string()));
            }
        }
    }

    /// "between May and June 2025": a month without a year takes the year of
    /// the month after it.
    fn share_years(&self, text: &str, values: &mut [Value]) {
        for i in 1..values.len() {
            let (a, b) = values.split_at_mut(i);
            let (prev, next) = (&mut a[i - 1], &b[0]);
            if prev.grain.as_deref() != Some("month") || next.span.start < prev.span.end {
                continue;
            }
            // "May 2024 and June 2025": the first month has its own year.
            let written = text.get(prev.span.start..prev.span.end).unwrap_or("");
            if written.bytes().filter(u8::is_ascii_digit).count() >= 4 {
                continue;
            }
            let gap = &text[prev.span.end..next.span.start];
            if !self.cues.joiner.is_match(gap) {
                continue;
            }
            let (Some(p), Some(n)) = (prev.value.as_str(), next.value.as_str()) else {
                continue;
            };
            if n.len() >= 7 && n.as_bytes()[..4].iter().all(u8::is_ascii_digit) && p.len() == 7 {
                let year = &n[..4];
                if &p[..4] != year {
                    prev.value = Json::String(format!("{year}{}", &p[4..]));
                }
            }
        }
    }

    fn piece_text(&self, pieces: &[Piece], caps: &Groups) -> String {
        let mut s = String::new();
        for p in pieces {
            match p {
                Piece::Lit(l) => s.push_str(l),
                Piece::Group(name, table, pad) => {
                    let Some(raw) = caps.name(name) else { continue };
                    let mapped = table.and_then(|t| lookup(&self.tables[t], raw));
                    let summed;
                    let got = match (mapped, table) {
                        (Some(m), _) => m,
                        (None, Some(t)) => {
                            summed = compound(&self.tables[*t], raw);
                            summed.as_deref().unwrap_or(raw)
                        }
                        (None, None) => raw,
                    };
                    if *pad && got.len() == 1 && got.bytes().all(|b| b.is_ascii_digit()) {
                        s.push('0');
                    }
                    s.push_str(got);
                }
            }
        }
        s
    }

    fn render(&self, t: &Template, caps: &Groups, ctx: &Ctx) -> Option<String> {
        match t {
            Template::Pieces(p) => Some(self.piece_text(p, caps)),
            Template::Call(f, args, suffix) => {
                let args: Vec<String> = args.iter().map(|a| self.piece_text(a, caps)).collect();
                let mut v = call(*f, &args, ctx)?;
                v.push_str(&self.piece_text(suffix, caps));
                Some(v)
            }
        }
    }
}

/// A rule's match and its groups, over the sentence it was found in.
struct Groups<'h> {
    caps: Captures,
    hay: &'h str,
}

impl<'h> Groups<'h> {
    /// The text of the named group, when it took part in the match.
    fn name(&self, name: &str) -> Option<&'h str> {
        let m = self.caps.get_group(self.index(name)?)?;
        self.hay.get(m.start..m.end)
    }

    /// The index of a named group. A rule has a handful of groups: a scan
    /// of their names costs less than hashing the name (SipHash) as
    /// `Captures::get_group_by_name` does.
    fn index(&self, name: &str) -> Option<usize> {
        self.caps
            .group_info()
            .pattern_names(PatternID::ZERO)
            .position(|n| n == Some(name))
    }
}

/// Words right before a value that relate it to a range bound.
const RELATIONS: &[&str] = &[
    "since", "until", "till", "before", "after", "by", "through", "from", "between",
];

/// The relation word `before` ends with, then whitespace ("since ",
/// "Until "), lowercase, "till" as "until". A value's relation is looked
/// for after every value: a regex search costs more than this look.
fn relation_word(before: &str) -> Option<&'static str> {
    let b = before.as_bytes();
    let space = |c: u8| b" \t\n\x0B\x0C\r".contains(&c);
    let end = b.len() - b.iter().rev().take_while(|&&c| space(c)).count();
    if end == b.len() {
        return None;
    }
    let start = end
        - b[..end]
            .iter()
            .rev()
            .take_while(|c| c.is_ascii_alphabetic())
            .count();
    if start > 0 && (b[start - 1].is_ascii_alphanumeric() || b[start - 1] == b'_') {
        return None;
    }
    let word = before.get(start..end)?;
    let found = RELATIONS.iter().find(|r| r.eq_ignore_ascii_case(word))?;
    Some(if *found == "till" { "until" } else { found })
}

/// The at most `n` bytes of `text` before `end`, cut on a char boundary.
fn window(text: &str, end: usize, n: usize) -> &str {
    let mut start = end.saturating_sub(n);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..end]
}

/// Whether a match ending at `end` does not stop inside a word.
fn ends_on_boundary(text: &str, end: usize) -> bool {
    let last = text[..end].chars().next_back();
    let next = text[end..].chars().next();
    match (last, next) {
        (Some(a), Some(b)) => !(a.is_alphanumeric() && b.is_alphanumeric()),
        _ => true,
    }
}

/// `\b(word|...)[-\s]+$` over a table's words, with the table's index.
/// The words of a table as a prefix of a value ("late", "the end of",
/// "about"), found right before it.
#[derive(Debug)]
struct PrefixWords {
    /// `(?i)\b(words)[-\s]+$`, its group the word.
    re: Regex,
    table: usize,
    /// The last words of the table's entries, lowercase: the regex runs
    /// only when the text before a value ends with one of them (nearly
    /// every value is preceded by some other word).
    last_words: std::collections::HashSet<String>,
    /// Whether an entry ends in something other than a letter or digit,
    /// so that no last word can rule it out.
    any: bool,
}

impl PrefixWords {
    fn new(tables: &[Table], name: &str) -> Option<PrefixWords> {
        let index = tables.iter().position(|t| t.name == name)?;
        let mut words: Vec<&String> = tables[index].words.keys().collect();
        if words.is_empty() {
            return None;
        }
        words.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        let alts: Vec<String> = words
            .iter()
            .map(|w| regex::escape(w).replace(' ', r"\s+"))
            .collect();
        let source = format!(r"(?i)\b({})[-\s]+$", alts.join("|"));
        let re = Regex::new(&source).ok()?;
        let mut last_words = std::collections::HashSet::new();
        let mut any = false;
        for w in words {
            match last_word(w) {
                Some(l) => {
                    last_words.insert(l);
                }
                None => any = true,
            }
        }
        Some(PrefixWords {
            re,
            table: index,
            last_words,
            any,
        })
    }

    /// The table's words at the end of `before`, followed by spaces or a
    /// hyphen.
    fn find<'t>(&self, before: &'t str) -> Option<regex::Match<'t>> {
        let body = before.trim_end_matches(|c: char| c == '-' || c.is_whitespace());
        if body.len() == before.len() {
            return None;
        }
        let maybe = self.any || last_word(body).is_none_or(|w| self.last_words.contains(&w));
        if !maybe {
            return None;
        }
        self.re.captures(before).and_then(|c| c.get(1))
    }
}

/// The lowercase run of ASCII letters and digits that ends `s`; `None`
/// when `s` ends in anything else, non-ASCII letters included (their case
/// folding is the regex's business).
fn last_word(s: &str) -> Option<String> {
    let body = s.trim_end_matches(|c: char| c.is_ascii_alphanumeric());
    let word = &s[body.len()..];
    let before = body.chars().next_back();
    if word.is_empty() || before.is_some_and(|c| c.is_alphanumeric()) {
        return None;
    }
    Some(word.to_ascii_lowercase())
}

/// "twenty four", "one hundred twenty": the sum (or product, for
/// "hundred") of parts the table maps to numbers.
fn compound(table: &Table, raw: &str) -> Option<String> {
    let mut total: i64 = 0;
    let mut any = false;
    for part in raw.split(|c: char| c == '-' || c.is_whitespace()) {
        if part.is_empty() || part.eq_ignore_ascii_case("and") {
            continue;
        }
        let n: i64 = lookup(table, part)?.parse().ok()?;
        if n == 100 && total > 0 {
            total *= 100;
        } else {
            total += n;
        }
        any = true;
    }
    any.then(|| total.to_string())
}

fn lookup<'t>(table: &'t Table, raw: &str) -> Option<&'t str> {
    // Most keys are short ASCII words: lowercase them on the stack.
    let mut buf = [0u8; 32];
    let short_ascii = raw.is_ascii() && raw.len() <= buf.len();
    if short_ascii {
        let key = &mut buf[..raw.len()];
        key.copy_from_slice(raw.as_bytes());
        key.make_ascii_lowercase();
        if let Some(v) = std::str::from_utf8(key)
            .ok()
            .and_then(|k| table.words.get(k))
        {
            return Some(v);
        }
    }
    let mut key = raw.to_lowercase();
    // (A short ASCII key was just looked up as it is.)
    if !short_ascii {
        if let Some(v) = table.words.get(&key) {
            return Some(v);
        }
    }
    key = key
        .trim_end_matches('.')
        .replace(['\u{2019}', '\u{2013}', '\u{2014}'], "-");
    key = key.split_whitespace().collect::<Vec<_>>().join(" ");
    table.words.get(&key).map(String::as_str)
}

/// Where the rules can start in a sentence: every rule pattern in one
/// lazy DFA, walked anchored from each ASCII word boundary (every pattern
/// starts with an ASCII `\b`, so no match starts anywhere else).
///
/// One unanchored search of all patterns over a sentence tracks the partial
/// matches begun at every earlier word at once, and its lazy DFA met a new
/// combination of them in nearly every sentence: building those states
/// cost ten times the search itself. Anchored walks see one start each, so
/// their states are few and soon all built, and most walks end after a
/// byte or two. Walking the DFA by hand rather than through a `RegexSet`
/// spares a search's set-up at each of the sentence's words.
struct RuleStarts {
    dfa: DFA,
    caches: Pool<Cache, CacheFn>,
    /// Which first three bytes keep a walk alive, after a non-word byte and
    /// after a word byte (`Gate::pass`): most words are ruled out by a look
    /// in these small tables, not by a walk through the DFA's larger one.
    after_space: Option<Gate>,
    after_word: Option<Gate>,
    /// The same after a line end and at the text's start, which have start
    /// states of their own.
    after_line: Option<Gate>,
    at_start: Option<Gate>,
}

/// Whether a walk from a given start state survives the first three bytes
/// (a match along the way or a live state), by the DFA's byte classes:
/// `pairs` gives each pair of classes its row of `rows` (row 0: none
/// survive), a row holds a bit per class of the third byte. Two bytes let
/// "pakistan" through because of "past"; the third rules it out.
struct Gate {
    classes: [u8; 256],
    /// Number of byte classes.
    n: usize,
    pairs: Vec<u16>,
    rows: Vec<[u64; 4]>,
    /// Per class: whether that byte alone, at the text's end, matches.
    last: Vec<bool>,
}

impl Gate {
    /// Whether a walk over `b0`, the text's last byte, can match.
    fn pass_last(&self, b0: u8) -> bool {
        self.last[self.classes[b0 as usize] as usize]
    }

    /// Whether a walk over `b0 b1 b2` can match.
    fn pass(&self, b0: u8, b1: u8, b2: u8) -> bool {
        let c = |b: u8| self.classes[b as usize] as usize;
        let row = self.pairs[c(b0) * self.n + c(b1)] as usize;
        let c2 = c(b2);
        self.rows[row][c2 >> 6] >> (c2 & 63) & 1 == 1
    }

    /// The gate of the anchored start state for a search with this byte
    /// behind it; `None` if the DFA cannot tell (every walk then runs).
    fn build(dfa: &DFA, behind: Option<u8>) -> Option<Gate> {
        Gate::try_build(dfa, behind).ok().flatten()
    }

    fn try_build(
        dfa: &DFA,
        behind: Option<u8>,
    ) -> Result<Option<Gate>, Box<dyn std::error::Error>> {
        let bc = dfa.byte_classes();
        let n = bc.alphabet_len();
        if n > 256 {
            return Ok(None);
        }
        let mut classes = [0u8; 256];
        // A byte standing for each class, to step the DFA with.
        let mut rep = vec![0u8; n];
        for b in (0..=255u8).rev() {
            let c = bc.get(b);
            classes[b as usize] = c;
            rep[c as usize] = b;
        }
        let mut cache = dfa.create_cache();
        let config = start::Config::new()
            .anchored(Anchored::Yes)
            .look_behind(behind);
        let s0 = dfa.start_state(&mut cache, &config)?;
        let mut pairs = vec![0u16; n * n];
        let mut rows = vec![[0u64; 4]];
        let mut last = vec![false; n];
        // Matches show a byte late: the state after byte k says whether the
        // first k-1 bytes matched.
        for c0 in 0..n {
            let s1 = dfa.next_state(&mut cache, s0, rep[c0])?;
            let end = dfa.next_eoi_state(&mut cache, s1)?;
            last[c0] = s1.is_quit() || end.is_match() || end.is_quit();
            if s1.is_dead() {
                continue;
            }
            for c1 in 0..n {
                let s2 = dfa.next_state(&mut cache, s1, rep[c1])?;
                if s2.is_dead() && !s1.is_match() {
                    continue;
                }
                let mut row = [0u64; 4];
                for c2 in 0..n {
                    let s3 = dfa.next_state(&mut cache, s2, rep[c2])?;
                    if s1.is_match()
                        || s2.is_match()
                        || s1.is_quit()
                        || s2.is_quit()
                        || !s3.is_dead()
                    {
                        row[c2 >> 6] |= 1 << (c2 & 63);
                    }
                }
                if row != [0; 4] {
                    let Ok(i) = u16::try_from(rows.len()) else {
                        return Ok(None);
                    };
                    pairs[c0 * n + c1] = i;
                    rows.push(row);
                }
            }
        }
        Ok(Some(Gate {
            classes,
            n,
            pairs,
            rows,
            last,
        }))
    }
}

type CacheFn =
    Box<dyn Fn() -> Cache + Send + Sync + std::panic::UnwindSafe + std::panic::RefUnwindSafe>;

impl std::fmt::Debug for RuleStarts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuleStarts").finish_non_exhaustive()
    }
}

impl RuleStarts {
    fn new(sources: &[String]) -> Result<RuleStarts, String> {
        let dfa = DFA::builder()
            .configure(
                DFA::config()
                    // Every pattern that matches, not the first to.
                    .match_kind(MatchKind::All)
                    .cache_capacity(64 << 20),
            )
            .thompson(
                regex_automata::nfa::thompson::Config::new()
                    .which_captures(regex_automata::nfa::thompson::WhichCaptures::None),
            )
            .build_many(sources)
            .map_err(|e| e.to_string())?;
        let made = dfa.clone();
        let caches = Pool::new(Box::new(move || made.create_cache()) as CacheFn);
        Ok(RuleStarts {
            after_space: Gate::build(&dfa, Some(b' ')),
            after_word: Gate::build(&dfa, Some(b'a')),
            after_line: Gate::build(&dfa, Some(b'\n')),
            at_start: Gate::build(&dfa, None),
            dfa,
            caches,
        })
    }

    /// Appends to `out` a `(rule, start, end)` triple for every match of
    /// every rule in `hay` that starts at an ASCII word boundary (all of
    /// them: every length a rule can match from `start`); an error means the
    /// DFA gave up.
    fn find(&self, hay: &str, out: &mut Vec<(usize, usize, usize)>) -> Result<(), ()> {
        let b = hay.as_bytes();
        let mut cache = self.caches.get();
        let cache = &mut *cache;
        let dfa = &self.dfa;
        // Whether the byte before `x` is a word byte: the boundaries are
        // where that flips, so the bytes between are skipped by a table.
        let mut in_word = false;
        let mut scan = 0;
        loop {
            while scan < b.len() && ASCII_WORD[b[scan] as usize] == in_word {
                scan += 1;
            }
            let x = scan;
            let Some(&here) = b.get(x) else { break };
            scan += 1;
            let behind = x.checked_sub(1).map(|p| b[p]);
            let ended = in_word;
            in_word = !in_word;
            let gate = match behind {
                Some(_) if ended => self.after_word.as_ref(),
                // A carriage return has a start state of its own.
                Some(b'\r') => None,
                Some(b'\n') => self.after_line.as_ref(),
                None => self.at_start.as_ref(),
                Some(_) => self.after_space.as_ref(),
            };
            if let Some(gate) = gate {
                let pass = match (b.get(x + 1), b.get(x + 2)) {
                    (Some(&b1), Some(&b2)) => gate.pass(here, b1, b2),
                    // The sentence's last byte, mostly its full stop.
                    (None, _) => gate.pass_last(here),
                    (Some(_), None) => true,
                };
                if !pass {
                    continue;
                }
            }
            let config = start::Config::new()
                .anchored(Anchored::Yes)
                .look_behind(behind);
            let mut sid = dfa.start_state(cache, &config).map_err(|_| ())?;
            let mut live = true;
            // Matches show one byte late: the state reached on the byte at
            // `end` says which rules matched `x..end`.
            for (end, &c) in (x..).zip(&b[x..]) {
                sid = dfa.next_state(cache, sid, c).map_err(|_| ())?;
                if sid.is_tagged() {
                    if sid.is_match() {
                        for i in 0..dfa.match_len(cache, sid) {
                            out.push((dfa.match_pattern(cache, sid, i).as_usize(), x, end));
                        }
                    }
                    if sid.is_quit() {
                        return Err(());
                    }
                    if sid.is_dead() {
                        live = false;
                        break;
                    }
                }
            }
            if live {
                sid = dfa.next_eoi_state(cache, sid).map_err(|_| ())?;
                if sid.is_match() {
                    for i in 0..dfa.match_len(cache, sid) {
                        out.push((dfa.match_pattern(cache, sid, i).as_usize(), x, b.len()));
                    }
                }
            }
        }
        Ok(())
    }
}

/// The bytes of an ASCII word (`\w` without Unicode): letters, digits, `_`.
static ASCII_WORD: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric() || b == b'_';
        c += 1;
    }
    t
};

/// The last line of a regex error (the reason; the lines before it repeat
/// the pattern with a caret, which `factsift check` prints its own way).
fn regex_reason(e: &regex::Error) -> String {
    e.to_string()
        .lines()
        .last()
        .unwrap_or("invalid pattern")
        .trim()
        .to_string()
}

/// A rule's regex from its compiled source.
fn build_rule_regex(source: &str) -> Result<Regex, regex::Error> {
    regex::RegexBuilder::new(source)
        .dfa_size_limit(8 << 20)
        .build()
}

/// The names of a pattern's named groups (`(?P<name>` or `(?<name>`), in
/// order, outside escapes and character classes: what the regex's
/// `capture_names` gives, without building it.
fn group_names(pattern: &str) -> Vec<&str> {
    let b = pattern.as_bytes();
    let mut names = Vec::new();
    let mut class = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'[' => {
                class += 1;
                // A `]` or `^]` right after the opening is a literal.
                if b.get(i + 1) == Some(&b'^') {
                    i += 1;
                }
                if b.get(i + 1) == Some(&b']') {
                    i += 1;
                }
            }
            b']' if class > 0 => class -= 1,
            b'(' if class == 0 => {
                let rest = &pattern[i..];
                let open = if rest.starts_with("(?P<") {
                    4
                } else if rest.starts_with("(?<") {
                    3
                } else {
                    0
                };
                if open > 0 {
                    if let Some(end) = rest[open..].find('>') {
                        names.push(&rest[open..open + end]);
                        i += open + end;
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    names
}

/// Calendar words that are also verbs, which a table in capitals leaves out.
const CAPITALS_VERBS: &[&str] = &["march"];

/// A table word as pattern pieces: each character escaped, a space as
/// `\s+` (any run of whitespace), a hyphen as `[-\s]` (a hyphen or a
/// space). Leading spaces are dropped.
fn word_units(w: &str) -> Vec<String> {
    let mut units = Vec::new();
    let escaped = regex::escape(w);
    let mut chars = escaped.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('-') => units.push(r"[-\s]".to_string()),
                Some(n) => units.push(format!("\\{n}")),
                None => units.push(r"\\".to_string()),
            },
            ' ' if units.is_empty() => {}
            ' ' => units.push(r"\s+".to_string()),
            c => units.push(c.to_string()),
        }
    }
    units
}

/// Appends the alternation of `words` (in order, each a list of pieces
/// from [`word_units`]) with shared first pieces factored out: "one|two|
/// three|twelve" becomes "one|t(?:w(?:o|elve)|hree)". Its matches and their
/// leftmost-first order are the plain alternation's, but the regex's
/// automaton is smaller and a backtracker tries a branch per first letter,
/// not one per word. Words are only regrouped where no two of them that
/// could match the same text change order; elsewhere they stay as listed.
fn push_alternation(words: &[&[String]], out: &mut String) {
    // The groups of words by first piece (`None`: the word has ended), in
    // order of first appearance, with the words' indices.
    let mut groups: Vec<(Option<&str>, Vec<usize>)> = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let key = w.first().map(String::as_str);
        match groups.iter_mut().find(|g| g.0 == key) {
            Some(g) => g.1.push(i),
            None => groups.push((key, vec![i])),
        }
    }
    let variable = |k: Option<&str>| matches!(k, Some(r"\s+" | r"[-\s]"));
    // Two first pieces that can match the same text: an ended word (the
    // empty match) with anything, whitespace with whitespace, and letters
    // equal but for case.
    let overlap = |a: Option<&str>, b: Option<&str>| match (a, b) {
        (None, _) | (_, None) => true,
        (Some(a), Some(b)) => (variable(Some(a)) && variable(Some(b))) || a.eq_ignore_ascii_case(b),
    };
    let interleaved = |a: &[usize], b: &[usize]| {
        let (a0, a1) = (a[0], a[a.len() - 1]);
        let (b0, b1) = (b[0], b[b.len() - 1]);
        !(a1 < b0 || b1 < a0)
    };
    let mut regroup = true;
    for (x, (ka, ma)) in groups.iter().enumerate() {
        for (kb, mb) in &groups[x + 1..] {
            if overlap(*ka, *kb) && interleaved(ma, mb) {
                regroup = false;
            }
        }
        // After a run of whitespace, only a letter keeps the words' order
        // (the run's length is then fixed by the letter after it).
        if *ka == Some(r"\s+")
            && ma.len() > 1
            && ma
                .iter()
                .any(|&i| words[i].get(1).is_none_or(|n| variable(Some(n))))
        {
            regroup = false;
        }
    }
    if !regroup || groups.len() == words.len() {
        for (i, w) in words.iter().enumerate() {
            if i > 0 {
                out.push('|');
            }
            for unit in w.iter() {
                out.push_str(unit);
            }
        }
        return;
    }
    for (g, (key, members)) in groups.iter().enumerate() {
        if g > 0 {
            out.push('|');
        }
        if key.is_none() {
            continue;
        }
        if let [one] = members.as_slice() {
            out.push_str(&words[*one].concat());
            continue;
        }
        // The pieces all the group's words share, but not a run of
        // whitespace that some word follows with more whitespace or ends
        // after.
        let first = words[members[0]];
        let mut shared = (1..first.len())
            .find(|&n| members.iter().any(|&i| words[i].get(n) != first.get(n)))
            .unwrap_or(first.len());
        while shared > 1
            && first[shared - 1] == r"\s+"
            && members.iter().any(|&i| {
                words[i]
                    .get(shared)
                    .is_none_or(|n| variable(Some(n.as_str())))
            })
        {
            shared -= 1;
        }
        out.push_str(&first[..shared].concat());
        out.push_str("(?:");
        let rest: Vec<&[String]> = members.iter().map(|&i| &words[i][shared..]).collect();
        push_alternation(&rest, out);
        out.push(')');
    }
}

fn compile_rule(
    id: &str,
    file: &RuleFile,
    entry: &toml::Value,
    tables: &[Table],
) -> Result<Rule, RuleError> {
    let Some(pattern) = str_field(entry, "pattern") else {
        return Err(file.error(Some(id), None, "rule without a `pattern`"));
    };
    let vtype = match str_field(entry, "type") {
        None => ValueType::Date,
        Some(t) => match ValueType::parse(t).filter(|t| t.is_temporal()) {
            Some(t) => t,
            None => {
                return Err(file.error(
                    Some(id),
                    Some("type"),
                    format!("unknown type `{t}` (expected date, time, duration or set)"),
                ))
            }
        },
    };
    // Expand %table macros.
    let mut expanded = String::with_capacity(pattern.len() * 2);
    let mut rest = pattern;
    while let Some(p) = rest.find('%') {
        expanded.push_str(&rest[..p]);
        let after = &rest[p + 1..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let name = &after[..name_len];
        if name.is_empty() {
            // A `%` not followed by a table name is itself ("5%").
            expanded.push('%');
            rest = after;
            continue;
        }
        let lower = name.to_lowercase();
        let capital = name != lower;
        let Some(table) = tables.iter().find(|t| t.name == lower) else {
            return Err(file.error(
                Some(id),
                Some(&format!("%{name}")),
                format!("unknown table `%{name}` in pattern"),
            ));
        };
        let mut words: Vec<&String> = table.words.keys().collect();
        words.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        let mut units: Vec<Vec<String>> = words
            .iter()
            .map(|w| {
                if capital {
                    let mut c = w.chars();
                    let w: String = match c.next() {
                        Some(f) => f.to_uppercase().chain(c).collect(),
                        None => String::new(),
                    };
                    word_units(&w)
                } else {
                    word_units(w)
                }
            })
            .collect();
        // A capitalized table also takes its words in capitals, as headings
        // and official papers write them ("11TH FEBRUARY, 2025"), but not
        // short ones nor those that are also verbs: in a capitals headline
        // "MAY" and "MARCH" are mostly the verbs.
        if capital {
            units.extend(
                words
                    .iter()
                    .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() > 3)
                    .filter(|w| !CAPITALS_VERBS.contains(&w.as_str()))
                    .map(|w| word_units(&w.to_uppercase())),
            );
        }
        expanded.push_str(if capital { "(?-i:" } else { "(?:" });
        let suffixes: Vec<&[String]> = units.iter().map(Vec::as_slice).collect();
        push_alternation(&suffixes, &mut expanded);
        expanded.push(')');
        rest = &after[name_len..];
    }
    expanded.push_str(rest);
    // ASCII mode either way: a Unicode `\b` anywhere in the DFA would make
    // the lazy DFA give up on every sentence with a curly quote or a dash.
    let case = if entry.get("case_sensitive").and_then(|v| v.as_bool()) == Some(true) {
        "(?-u)"
    } else {
        "(?i-u)"
    };
    let source = format!(r"{case}\b(?:{expanded})");
    let groups = group_names(&source);
    let Some(value) = str_field(entry, "value") else {
        return Err(file.error(Some(id), None, "rule without a `value` template"));
    };
    let value = parse_template(value, &groups, tables)
        .map_err(|m| file.error(Some(id), Some("value"), m))?;
    let max = match str_field(entry, "max") {
        Some(m) => Some(
            parse_template(m, &groups, tables).map_err(|e| file.error(Some(id), Some("max"), e))?,
        ),
        None => None,
    };
    let modifier = match str_field(entry, "mod") {
        Some(m) => Some(
            parse_template(m, &groups, tables).map_err(|e| file.error(Some(id), Some("mod"), e))?,
        ),
        None => None,
    };
    let span_group = groups.contains(&"span");
    let context = |field: &'static str, anchored: fn(&str) -> String| -> Result<Option<Regex>, _> {
        match str_field(entry, field) {
            Some(pat) => Regex::new(&anchored(pat)).map(Some).map_err(|e| {
                file.error(
                    Some(id),
                    Some(field),
                    format!("bad {field} pattern: {}", regex_reason(&e)),
                )
            }),
            None => Ok(None),
        }
    };
    let not_before = context("not_before", |p| format!("^(?:{p})"))?;
    let not_after = context("not_after", |p| format!("(?:{p})$"))?;
    let after = if case == "(?-u)" {
        context("after", |p| format!(r"(?-u)(?:{p})$"))?
    } else {
        context("after", |p| format!(r"(?i-u)(?:{p})$"))?
    };
    Ok(Rule {
        rule_id: file.rule_id(id),
        source,
        regex: std::sync::OnceLock::new(),
        backtrack: std::sync::OnceLock::new(),
        vtype,
        value,
        grain: str_field(entry, "grain").map(str::to_string),
        max,
        modifier,
        span_group,
        not_before,
        not_after,
        after,
    })
}

fn parse_pieces(s: &str, groups: &[&str], tables: &[Table]) -> Result<Vec<Piece>, String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(p) = rest.find('{') {
        if p > 0 {
            out.push(Piece::Lit(rest[..p].to_string()));
        }
        let Some(close) = rest[p..].find('}') else {
            return Err(format!("unclosed `{{` in template `{s}`"));
        };
        let name = &rest[p + 1..p + close];
        if !groups.contains(&name) {
            return Err(format!(
                "template names group `{name}`, which the pattern lacks"
            ));
        }
        let base = base_name(name);
        let table = tables.iter().position(|t| t.name == base);
        out.push(Piece::Group(
            name.to_string(),
            table,
            PADDED.contains(&base),
        ));
        rest = &rest[p + close + 1..];
    }
    if !rest.is_empty() {
        out.push(Piece::Lit(rest.to_string()));
    }
    Ok(out)
}

fn parse_template(s: &str, groups: &[&str], tables: &[Table]) -> Result<Template, String> {
    let Some(call) = s.strip_prefix('@') else {
        return parse_pieces(s, groups, tables).map(Template::Pieces);
    };
    let Some(open) = call.find('(') else {
        return Err(format!("function call `{s}` lacks `(`"));
    };
    let Some(close) = call.rfind(')').filter(|&c| c > open) else {
        return Err(format!("function call `{s}` lacks a closing `)`"));
    };
    let inner = &call[open + 1..close];
    let suffix = parse_pieces(&call[close + 1..], groups, tables)?;
    let name = &call[..open];
    let Some((func, arity)) = Func::parse(name) else {
        return Err(format!("unknown function `@{name}`"));
    };
    let args: Vec<&str> = if inner.trim().is_empty() && arity == 0 {
        Vec::new()
    } else {
        inner.split(',').map(str::trim).collect()
    };
    if args.len() != arity {
        return Err(format!(
            "`@{name}` takes {arity} argument(s), got {}",
            args.len()
        ));
    }
    let args = args
        .iter()
        .map(|a| parse_pieces(a, groups, tables))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Template::Call(func, args, suffix))
}

/// What anchors a value: the document date and the sentence's tense.
struct Ctx<'a> {
    dct: Option<NaiveDate>,
    /// Whether the expression looks ahead (its local cue or its sentence).
    future: std::cell::OnceCell<bool>,
    /// The sentence reports quarterly figures: "a year ago" there is the
    /// same quarter a year before.
    quarterly: std::cell::OnceCell<bool>,
    src: CtxSource<'a>,
}

/// What [`Ctx`] computes its fields from, on first use.
struct CtxSource<'a> {
    rules: &'a TemporalRules,
    text: &'a str,
    seg: &'a Segmentation,
    span: Span,
    /// The document's temporal values found before this one.
    before: &'a [Value],
}

impl Ctx<'_> {
    fn future(&self) -> bool {
        *self.future.get_or_init(|| {
            let CtxSource {
                rules,
                text,
                seg,
                span,
                ..
            } = self.src;
            match rules.local_tense(text, span) {
                Some(future) => future,
                None => rules.sentence_is_future(text, seg, span),
            }
        })
    }

    fn quarterly(&self) -> bool {
        *self.quarterly.get_or_init(|| {
            let CtxSource {
                rules,
                text,
                seg,
                span,
                ..
            } = self.src;
            let sentence = rules.sentence_of(text, seg, span);
            rules.cues.quarterly.is_match(sentence)
                || rules
                    .cues
                    .quarterly
                    .is_match(window(text, span.start, 1000))
        })
    }

    /// What a month or a day named without its year is read against: a
    /// date with its year written out that opens the same sentence ("In
    /// November 2021, a ceasefire ... collapsed in December" is 2021-12),
    /// else the document date, else (a report without one) the first day
    /// the text gives with its year ("On 6 January 2025 ... five Maoists
    /// were killed on 4 January" is 2025-01-04).
    fn year_reference(&self) -> Option<NaiveDate> {
        let CtxSource {
            rules,
            text,
            seg,
            span,
            before,
        } = self.src;
        let sentence_start = seg
            .sentence_at(span.start)
            .and_then(|i| seg.sentences.get(i))
            .map_or(span.start, |s| s.span.start);
        // A date whose year is written in its own text.
        let written = |v: &Value| -> Option<(NaiveDate, &'static str)> {
            if !matches!(v.vtype, ValueType::Date | ValueType::Time)
                || rules.compared.contains(&v.rule)
            {
                return None;
            }
            let value = v.value.as_str()?;
            let anchor = parse_anchor(value)?;
            let shown = text.get(v.span.start..v.span.end)?;
            shown.contains(value.get(..4)?).then_some(anchor)
        };
        // Only a date that opens the sentence sets its scene: one further
        // in often belongs to another clause ("a program approved in 1987
        // ... had purchased shares through Sept. 29").
        let scene = before
            .iter()
            .rev()
            .take_while(|v| v.span.start >= sentence_start)
            .filter(|v| v.span.start <= sentence_start + SCENE_SETTER)
            .find_map(written)
            .map(|a| a.0);
        match (scene, self.dct) {
            (Some(w), Some(dct)) if w.year() == dct.year() => Some(dct),
            (Some(w), _) => Some(w),
            (None, Some(dct)) => Some(dct),
            (None, None) => before
                .iter()
                .filter_map(written)
                .find(|a| a.1 == "day")
                .map(|a| a.0),
        }
    }

    /// The last date mentioned before this expression that is at least as
    /// fine as `unit` ("the same day" skips a bare "2024" for the last day).
    /// Of a range ("between 10 and 13 September"), a later time counts
    /// from its end (`forward`), an earlier one from its start.
    /// The first day of the last quarter named before this value in its
    /// sentence ("the first quarter of 2024").
    fn quarter_in_sentence(&self) -> Option<NaiveDate> {
        let sentences = &self.src.seg.sentences;
        let here = self.src.span.start;
        let k = sentences.partition_point(|s| s.span.start <= here);
        let start = k.checked_sub(1).map_or(0, |k| sentences[k].span.start);
        self.src
            .before
            .iter()
            .rev()
            .take_while(|v| v.span.start >= start)
            .filter_map(|v| v.value.as_str().and_then(parse_anchor))
            .find(|a| a.1 == "quarter")
            .map(|a| a.0)
    }

    fn anchor(&self, unit: &str, forward: bool) -> Option<(NaiveDate, &'static str)> {
        let rules = self.src.rules;
        self.src
            .before
            .iter()
            .rev()
            .filter(|v| matches!(v.vtype, ValueType::Date | ValueType::Time))
            .filter(|v| !rules.compared.contains(&v.rule))
            .filter_map(|v| {
                let end = v.max.as_ref().filter(|_| forward);
                end.unwrap_or(&v.value).as_str().and_then(parse_anchor)
            })
            .find(|a| grain_rank(a.1) <= grain_rank(unit))
    }
}

/// A calendar value as a reference point: its first day and its grain.
fn parse_anchor(v: &str) -> Option<(NaiveDate, &'static str)> {
    let b = v.as_bytes();
    if b.len() < 4 || !b[..4].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let y: i32 = v.get(..4)?.parse().ok()?;
    let rest = v.get(4..)?;
    if rest.is_empty() {
        return Some((NaiveDate::from_ymd_opt(y, 1, 1)?, "year"));
    }
    if let Some(q) = rest.strip_prefix("-Q") {
        let q: u32 = q.parse().ok().filter(|q| (1..=4).contains(q))?;
        return Some((NaiveDate::from_ymd_opt(y, (q - 1) * 3 + 1, 1)?, "quarter"));
    }
    let m: u32 = rest.get(1..3)?.parse().ok()?;
    if rest.len() == 3 {
        return Some((NaiveDate::from_ymd_opt(y, m, 1)?, "month"));
    }
    let d: u32 = rest.get(4..6)?.parse().ok()?;
    if rest.len() == 6 || rest.as_bytes().get(6) == Some(&b'T') {
        return Some((NaiveDate::from_ymd_opt(y, m, d)?, "day"));
    }
    None
}

/// `n` units from an anchor, at the coarser grain of the two ("four
/// months later" than 9 November 2024 is 2025-03), except that a year
/// before or after a quarter is that quarter ("a year earlier" than
/// 1989-Q3 is 1988-Q3). `None` when the anchor is
/// coarser than the unit (three months after "2024" is not known).
fn grain_rank(g: &str) -> u8 {
    match g {
        "day" => 0,
        "week" => 1,
        "month" => 2,
        "quarter" => 3,
        "year" => 4,
        _ => 9,
    }
}

fn from_anchor(anchor: (NaiveDate, &str), unit: &str, n: i64) -> Option<String> {
    let rank = grain_rank;
    let (date, grain) = anchor;
    if rank(unit) == 9 || rank(grain) > rank(unit) {
        return None;
    }
    let at = if unit == "year" && grain == "quarter" {
        grain
    } else {
        unit
    };
    at_grain(shift(date, unit, n)?, at)
}

/// `HH:MM` from an hour, minutes and an am/pm marker.
fn clock(h: &str, m: &str, ampm: &str) -> Option<String> {
    let mut h: u32 = h.parse().ok()?;
    let m: u32 = if m.is_empty() { 0 } else { m.parse().ok()? };
    let ampm = ampm.to_lowercase();
    if h > 24 || m > 59 {
        return None;
    }
    if ampm.starts_with('p') && h < 12 {
        h += 12;
    } else if ampm.starts_with('a') && h == 12 {
        h = 0;
    }
    Some(format!("{h:02}:{m:02}"))
}

/// The grain a TIMEX3 value has, from its shape.
fn infer_grain(v: &str) -> Option<String> {
    let g = if v.ends_with("_REF") {
        return None;
    } else if let Some(d) = v.strip_prefix('P') {
        match d.chars().last() {
            Some('Y') if d.starts_with('T') => "time",
            Some('Y') => "year",
            Some('M') if d.starts_with('T') => "minute",
            Some('M') => "month",
            Some('W') => "week",
            Some('D') => "day",
            Some('H') => "hour",
            Some('S') => "second",
            Some('Q') => "quarter",
            Some('E') => "decade",
            _ => return None,
        }
    } else if v.contains('T') {
        "time"
    } else if v.contains("-W") {
        if v.len() > 8 {
            "day"
        } else {
            "week"
        }
    } else if v.contains("-Q") {
        "quarter"
    } else if v.contains("-H") {
        "half"
    } else if ["-SP", "-SU", "-FA", "-WI"].iter().any(|s| v.ends_with(s)) {
        "season"
    } else if v.len() == 10 {
        "day"
    } else if v.len() == 7 {
        "month"
    } else if v == "XXXX" {
        "year"
    } else if v.len() == 4 && v.ends_with("XX") {
        "century"
    } else if v.len() == 4 && v.ends_with('X') {
        "decade"
    } else if v.len() == 4 {
        "year"
    } else if v.len() == 3 {
        // TimeML's decade: "199" is the 1990s.
        "decade"
    } else if v.len() == 2 {
        // TimeML's century: "19" is the twentieth.
        "century"
    } else {
        return None;
    };
    Some(g.to_string())
}

/// The year of a month (or quarter) named without one: the most recent one
/// on or before the document date, or the next one when the sentence speaks
/// of the future.
/// A month more than `ahead` units after the document's counts as last
/// year's in a sentence that is not about the future.
fn year_by_tense(dct: NaiveDate, named: (u32, u32), now: (u32, u32), future: bool) -> i32 {
    year_by_tense_ahead(dct, named, now, future, 2)
}

fn year_by_tense_ahead(
    dct: NaiveDate,
    named: (u32, u32),
    now: (u32, u32),
    future: bool,
    ahead: u32,
) -> i32 {
    let y = dct.year();
    if future && named.0 + ahead < now.0 {
        y + 1
    } else if !future && named.0 > now.0 + ahead {
        y - 1
    } else {
        y
    }
}

fn parse_num(s: &str) -> Option<i64> {
    let s = s.trim().replace(',', "");
    s.parse::<i64>().ok()
}

fn year_of(s: &str) -> Option<i32> {
    let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
    let y: i32 = digits.parse().ok()?;
    Some(match digits.len() {
        2 if y < 40 => 2000 + y,
        2 => 1900 + y,
        4 => y,
        _ => return None,
    })
}

fn shift(d: NaiveDate, unit: &str, n: i64) -> Option<NaiveDate> {
    let months = |m: i64| -> Option<NaiveDate> {
        if m >= 0 {
            d.checked_add_months(Months::new(u32::try_from(m).ok()?))
        } else {
            d.checked_sub_months(Months::new(u32::try_from(-m).ok()?))
        }
    };
    match unit {
        "day" => d.checked_add_signed(Duration::days(n)),
        "week" | "weekend" => d.checked_add_signed(Duration::weeks(n)),
        "month" => months(n),
        "quarter" => months(n.checked_mul(3)?),
        "half" => months(n.checked_mul(6)?),
        "year" => months(n.checked_mul(12)?),
        "decade" => months(n.checked_mul(120)?),
        "century" => months(n.checked_mul(1200)?),
        _ => None,
    }
}

/// `d` at the grain of `unit`.
fn at_grain(d: NaiveDate, unit: &str) -> Option<String> {
    Some(match unit {
        "day" => d.format("%Y-%m-%d").to_string(),
        "week" => {
            let w = d.iso_week();
            format!("{}-W{:02}", w.year(), w.week())
        }
        "weekend" => {
            let w = d.iso_week();
            format!("{}-W{:02}-WE", w.year(), w.week())
        }
        "month" => d.format("%Y-%m").to_string(),
        "quarter" => format!("{}-Q{}", d.year(), d.month0() / 3 + 1),
        "half" => format!("{}-H{}", d.year(), d.month0() / 6 + 1),
        "year" => format!("{}", d.year()),
        // TimeML writes a decade and a century as the leading digits:
        // "199" is the 1990s, "19" the twentieth century.
        "decade" => format!("{}", d.year().div_euclid(10)),
        "century" => format!("{:02}", d.year().div_euclid(100)),
        _ => return None,
    })
}

/// The underspecified value of a unit when no document date anchors it.
fn undefined(unit: &str) -> Option<String> {
    Some(
        match unit {
            "day" => "XXXX-XX-XX",
            "week" => "XXXX-WXX",
            "weekend" => "XXXX-WXX-WE",
            "month" => "XXXX-XX",
            "quarter" => "XXXX-QX",
            "half" => "XXXX-HX",
            "year" => "XXXX",
            "decade" => "XXX",
            "century" => "XX",
            _ => return None,
        }
        .to_string(),
    )
}

fn dur_unit(unit: &str) -> Option<(&'static str, bool)> {
    Some(match unit {
        "year" => ("Y", false),
        "month" => ("M", false),
        "week" => ("W", false),
        "day" => ("D", false),
        "quarter" => ("Q", false),
        "decade" => ("DE", false),
        "century" => ("CE", false),
        "weekend" => ("WE", false),
        "hour" => ("H", true),
        "minute" => ("M", true),
        "second" => ("S", true),
        _ => return None,
    })
}

/// A fractional duration in whole units plus the next smaller unit, the way
/// TimeML writes it: 2.5 years is `P2Y6M`, 5.5 hours `PT5H30M`, 1.5 days
/// `P1DT12H`. `None` when the remainder is not a whole number of the smaller
/// unit (or the unit has none), so the caller keeps the decimal.
fn split_fraction(x: f64, unit: &str, time: bool) -> Option<String> {
    let (per, small, small_time) = match (unit, time) {
        ("Y", false) => (12.0, "M", false),
        ("Q", false) => (3.0, "M", false),
        ("D", false) => (24.0, "H", true),
        ("H", true) => (60.0, "M", true),
        ("M", true) => (60.0, "S", true),
        _ => return None,
    };
    let whole = x.trunc();
    let rest = (x - whole) * per;
    if (rest - rest.round()).abs() > 1e-9 {
        return None;
    }
    let (whole, rest) = (whole as i64, rest.round() as i64);
    let big_unit = if unit == "Q" { "M" } else { unit };
    let whole = if unit == "Q" { whole * 3 + rest } else { whole };
    let mut v = String::from("P");
    if time {
        v.push('T');
    }
    if unit == "Q" {
        v.push_str(&format!("{whole}{big_unit}"));
        return Some(v);
    }
    if whole > 0 {
        v.push_str(&format!("{whole}{big_unit}"));
    }
    if small_time && !time {
        v.push('T');
    }
    v.push_str(&format!("{rest}{small}"));
    Some(v)
}

fn call(f: Func, a: &[String], ctx: &Ctx) -> Option<String> {
    let arg = |i: usize| a.get(i).map(String::as_str).unwrap_or("");
    match f {
        Func::Year => year_of(arg(0)).map(|y| format!("{y:04}")),
        Func::Fiscal => {
            // "FY2024-25" / "fiscal 1998": the year named first (the value
            // carries `fiscal`, so a reader knows it is not the calendar
            // year). A second year must follow the first.
            let s = arg(0);
            let mut parts = s.split(['-', '/', '\u{2013}']);
            let first = parts.next().and_then(year_of)?;
            if let Some(second) = parts.next().map(str::trim).filter(|p| !p.is_empty()) {
                let n: i32 = second.parse().ok()?;
                let y = if second.len() == 2 {
                    first / 100 * 100 + n
                } else {
                    n
                };
                if y != first + 1 {
                    return None;
                }
            }
            Some(format!("{first:04}"))
        }
        Func::Date => {
            let y = year_of(arg(0))?;
            let m: u32 = arg(1).parse().ok()?;
            let d: u32 = arg(2).parse().ok()?;
            NaiveDate::from_ymd_opt(y, m, d).map(|d| d.format("%Y-%m-%d").to_string())
        }
        Func::MonthDay => {
            let m: u32 = arg(0).parse().ok()?;
            let d: u32 = arg(1).parse().ok()?;
            if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
                return None;
            }
            Some(match ctx.year_reference() {
                Some(now) => {
                    let y = year_by_tense(now, (m, d), (now.month(), now.day()), ctx.future());
                    format!("{y:04}-{m:02}-{d:02}")
                }
                None => format!("XXXX-{m:02}-{d:02}"),
            })
        }
        Func::Month => {
            let m: u32 = arg(0).parse().ok()?;
            if !(1..=12).contains(&m) {
                return None;
            }
            Some(match ctx.year_reference() {
                Some(now) => {
                    let y = year_by_tense(now, (m, 0), (now.month(), 0), ctx.future());
                    format!("{y:04}-{m:02}")
                }
                None => format!("XXXX-{m:02}"),
            })
        }
        Func::IsoWeek => {
            let m: u32 = arg(0).parse().ok()?;
            if !(1..=12).contains(&m) {
                return None;
            }
            let y = match year_of(arg(2)) {
                Some(y) => y,
                None => match ctx.year_reference() {
                    Some(now) => year_by_tense(now, (m, 0), (now.month(), 0), ctx.future()),
                    None => return Some(format!("XXXX-{m:02}")),
                },
            };
            let first = NaiveDate::from_ymd_opt(y, m, 1)?;
            let day = match arg(1) {
                "L" => {
                    let next = first.checked_add_months(chrono::Months::new(1))?;
                    next.pred_opt()?.day().checked_sub(3)?
                }
                d => d.parse().ok()?,
            };
            let d = NaiveDate::from_ymd_opt(y, m, day)?;
            Some(d.format("%G-W%V").to_string())
        }
        Func::RelQuarter => {
            let q: u32 = arg(0).parse().ok()?;
            let off = parse_num(arg(1)).unwrap_or(0);
            Some(match ctx.dct {
                Some(dct) => format!("{:04}-Q{q}", dct.year() as i64 + off),
                None => format!("XXXX-Q{q}"),
            })
        }
        Func::YearQuarter => {
            let y = year_of(arg(0))?;
            Some(match ctx.dct {
                Some(dct) => {
                    let last = shift(dct, "quarter", -1)?;
                    format!("{y:04}-Q{}", last.month0() / 3 + 1)
                }
                None => format!("{y:04}-QX"),
            })
        }
        Func::Holiday => {
            let h = arg(0);
            let Some(dct) = ctx.dct else {
                return Some(match h.split_once('-') {
                    Some((m, d)) => format!("XXXX-{m}-{d}"),
                    None => "XXXX-XX-XX".to_string(),
                });
            };
            let on = |y: i32| -> Option<NaiveDate> {
                match h.split_once('-') {
                    Some((m, d)) => NaiveDate::from_ymd_opt(y, m.parse().ok()?, d.parse().ok()?),
                    // Thanksgiving: the fourth Thursday of November.
                    None => NaiveDate::from_weekday_of_month_opt(y, 11, chrono::Weekday::Thu, 4),
                }
            };
            let this = on(dct.year())?;
            // The latest one on or before the document date, unless the
            // sentence speaks of the future.
            let day = if !ctx.future() && this > dct + Duration::days(7) {
                on(dct.year() - 1)?
            } else {
                this
            };
            Some(day.format("%Y-%m-%d").to_string())
        }
        Func::WeekdayTime => {
            let day = call(Func::Weekday, &[arg(0).to_string(), String::new()], ctx)?;
            let t = clock(arg(1), arg(2), arg(3))?;
            Some(format!("{day}T{t}"))
        }
        Func::MonthDayTime => {
            let day = call(
                Func::MonthDay,
                &[arg(0).to_string(), arg(1).to_string()],
                ctx,
            )?;
            let t = clock(arg(2), arg(3), arg(4))?;
            Some(format!("{day}T{t}"))
        }
        Func::MonthRel => {
            let m: u32 = arg(0).parse().ok()?;
            let off = parse_num(arg(1)).unwrap_or(0);
            if !(1..=12).contains(&m) {
                return None;
            }
            Some(match ctx.dct {
                // "last April": the latest April before the document's
                // month; "next April": the first after it. The month just
                // before the document's would be "last month": "last
                // February" written on 1 March is a year back.
                Some(dct) => {
                    let y = if off < 0 && m + 1 == dct.month() {
                        dct.year() as i64 - 1
                    } else {
                        year_for_month(dct, m, off)
                    };
                    format!("{y:04}-{m:02}")
                }
                None => format!("XXXX-{m:02}"),
            })
        }
        Func::Rel | Func::Ago | Func::Later => {
            let (unit, n) = if f == Func::Rel {
                (arg(0), parse_num(arg(1))?)
            } else {
                let n = parse_num(arg(0));
                let n = match (n, f) {
                    (Some(n), Func::Ago) => -n,
                    (Some(n), _) => n,
                    (None, _) => {
                        // "years ago": unknown amount.
                        return Some(
                            if f == Func::Ago {
                                "PAST_REF"
                            } else {
                                "FUTURE_REF"
                            }
                            .into(),
                        );
                    }
                };
                (arg(1), n)
            };
            if unit == "year" && n == -1 && ctx.quarterly() && f == Func::Ago {
                return call(Func::LastQuarter, &["-1".to_string()], ctx);
            }
            match ctx.dct {
                // "the weekend" in a report is the one just past, unless
                // the sentence speaks of the future.
                Some(dct) if unit == "weekend" && n == 0 && !ctx.future() => {
                    let back = (dct.weekday().number_from_monday() as i64 + 1) % 7;
                    let back = if back <= 1 { 0 } else { back };
                    at_grain(dct.checked_sub_signed(Duration::days(back))?, unit)
                }
                Some(dct) => at_grain(shift(dct, unit, n)?, unit),
                None => undefined(unit),
            }
        }
        Func::Weekday => {
            let d: u32 = arg(0).parse().ok()?;
            if !(1..=7).contains(&d) {
                return None;
            }
            let Some(dct) = ctx.dct else {
                return Some(format!("XXXX-WXX-{d}"));
            };
            let cur = dct.weekday().number_from_monday() as i64;
            let target = d as i64;
            let dir = parse_num(arg(1));
            let delta = if dir == Some(-1) {
                -((cur - target - 1).rem_euclid(7) + 1)
            } else if dir == Some(1) {
                (target - cur - 1).rem_euclid(7) + 1
            } else if dir != Some(0) && ctx.future() {
                (target - cur).rem_euclid(7)
            } else {
                -((cur - target).rem_euclid(7))
            };
            let day = dct.checked_add_signed(Duration::days(delta))?;
            Some(day.format("%Y-%m-%d").to_string())
        }
        Func::Quarter => {
            let q: u32 = arg(0).parse().ok()?;
            if !(1..=4).contains(&q) {
                return None;
            }
            Some(match ctx.dct {
                Some(dct) => {
                    let cur = dct.month0() / 3 + 1;
                    let y = year_by_tense_ahead(dct, (q, 0), (cur, 0), false, 0);
                    format!("{y:04}-Q{q}")
                }
                None => format!("XXXX-Q{q}"),
            })
        }
        Func::Season => {
            let s = arg(0);
            let off = parse_num(arg(1)).unwrap_or(0);
            Some(match ctx.dct {
                Some(dct) => {
                    // "last fall": the latest fall that has begun; "next
                    // spring": the first that has not.
                    let start = match s {
                        "SP" => 3,
                        "SU" => 6,
                        "FA" => 9,
                        _ => 12,
                    };
                    let y = year_for_month(dct, start, off);
                    format!("{y:04}-{s}")
                }
                None => format!("XXXX-{s}"),
            })
        }
        Func::Dur => {
            let (u, t) = dur_unit(arg(1))?;
            let n = arg(0).trim();
            let n = if n.is_empty() { "X" } else { n };
            let (u, scale) = match u {
                "DE" => ("Y", 10.0),
                "CE" => ("Y", 100.0),
                u => (u, 1.0),
            };
            if let Some(split) = n
                .parse::<f64>()
                .ok()
                .filter(|x| scale == 1.0 && x.fract() != 0.0 && *x > 0.0 && *x < 1e6)
                .and_then(|x| split_fraction(x, u, t))
            {
                return Some(split);
            }
            let (u, n) = match n.parse::<f64>().map(|x| x * scale) {
                Ok(x) if x.fract() == 0.0 => (u, format!("{}", x as i64)),
                Ok(x) => (u, format!("{x}")),
                Err(_) if scale > 1.0 => (if scale > 10.0 { "CE" } else { "DE" }, n.to_string()),
                Err(_) => (u, n.to_string()),
            };
            Some(if t {
                format!("PT{n}{u}")
            } else {
                format!("P{n}{u}")
            })
        }
        Func::From => {
            let unit = arg(1);
            let Some(n) = parse_num(arg(0)) else {
                // "years later": unknown amount.
                return Some(
                    if arg(0).starts_with('-') {
                        "PAST_REF"
                    } else {
                        "FUTURE_REF"
                    }
                    .into(),
                );
            };
            if let Some(v) = ctx
                .anchor(unit, n >= 0)
                .and_then(|a| from_anchor(a, unit, n))
            {
                return Some(v);
            }
            let (f, n) = if n < 0 {
                (Func::Ago, -n)
            } else {
                (Func::Later, n)
            };
            call(f, &[n.to_string(), unit.to_string()], ctx)
        }
        Func::LastQuarter => {
            let years = parse_num(arg(0)).unwrap_or(0);
            // "The first quarter ... up on the same period last year": a
            // year before the quarter its sentence named, if it named one
            // (else the last completed quarter's: "year-ago profit").
            let named = (years != 0).then(|| ctx.quarter_in_sentence()).flatten();
            Some(match (named, ctx.dct) {
                (Some(q), _) => at_grain(shift(q, "quarter", years.checked_mul(4)?)?, "quarter")?,
                (None, Some(dct)) => {
                    let d = shift(dct, "quarter", years.checked_mul(4)?.checked_sub(1)?)?;
                    at_grain(d, "quarter")?
                }
                (None, None) => "XXXX-QX".to_string(),
            })
        }
        Func::Time => {
            // A clock time is on the day the text mentioned last ("on May
            // 10 ... from 5 p.m."), else on the document's date.
            let t = clock(arg(0), arg(1), arg(2))?;
            let day = ctx
                .anchor("day", true)
                .filter(|a| a.1 == "day")
                .map(|a| a.0)
                .or(ctx.dct);
            Some(match day {
                Some(d) => format!("{}T{t}", d.format("%Y-%m-%d")),
                None => format!("XXXX-XX-XXT{t}"),
            })
        }
    }
}

/// The year of "last/next <month or season starting in `month`>" from the
/// document date: `off < 0` the latest one before the document's month,
/// `off > 0` the first after it, else the document's year.
fn year_for_month(dct: NaiveDate, month: u32, off: i64) -> i64 {
    let y = dct.year() as i64;
    match off {
        o if o < 0 && month < dct.month() => y,
        o if o < 0 => y - 1,
        o if o > 0 && month > dct.month() => y,
        o if o > 0 => y + 1,
        _ => y,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::Segmenter;

    fn rules() -> &'static TemporalRules {
        static RULES: std::sync::OnceLock<TemporalRules> = std::sync::OnceLock::new();
        RULES.get_or_init(|| {
            let pack = RulePack::embedded().expect("default pack");
            TemporalRules::compile(&pack).expect("dates compile")
        })
    }

    /// A table's words as one alternation, plain (as listed) and factored.
    fn alternations(words: &[&str]) -> (String, String) {
        let units: Vec<Vec<String>> = words.iter().map(|w| word_units(w)).collect();
        let plain = units
            .iter()
            .map(|u| u.concat())
            .collect::<Vec<_>>()
            .join("|");
        let mut factored = String::new();
        let slices: Vec<&[String]> = units.iter().map(Vec::as_slice).collect();
        push_alternation(&slices, &mut factored);
        (plain, factored)
    }

    #[test]
    fn factored_alternation_shares_prefixes() {
        let (plain, factored) = alternations(&["three", "twelve", "two", "one", "ten"]);
        assert_eq!(plain, "three|twelve|two|one|ten");
        assert_eq!(factored, "t(?:hree|w(?:elve|o)|en)|one");
        // An ended word keeps its place among the longer ones.
        let (_, factored) = alternations(&["fourteen", "four", "five"]);
        assert_eq!(factored, "f(?:our(?:teen|)|ive)");
        // "a b", "a-c" and "a d" all take a space after "a": they stay in
        // order, the whitespace runs are not merged around "a-c".
        let (_, factored) = alternations(&["a b", "x", "a-c", "a d"]);
        assert_eq!(factored, r"a(?:\s+b|[-\s]c|\s+d)|x");
    }

    proptest::proptest! {
        /// Factoring never changes what a pattern with the alternation
        /// matches first from a place, nor what its groups take.
        #[test]
        fn factored_alternation_matches_like_plain(
            words in proptest::collection::vec("[abAB -]{0,4}", 1..8),
            tail in "(|a|b| b|-a)",
            hay in "[abAB -]{0,10}",
        ) {
            let words: Vec<&str> = words.iter().map(String::as_str).collect();
            let (plain, factored) = alternations(&words);
            let build = |alt: &str| {
                Regex::new(&format!(r"(?i-u)^(?P<w>{alt})(?P<t>{})", regex::escape(&tail)))
            };
            let (Ok(p), Ok(f)) = (build(&plain), build(&factored)) else {
                return Err(proptest::test_runner::TestCaseError::fail(format!("{plain} / {factored}")));
            };
            let groups = |r: &Regex| {
                r.captures(&hay).map(|c| (c.get(0).map(|m| m.range()), c.name("w").map(|m| m.range())))
            };
            proptest::prop_assert_eq!(groups(&p), groups(&f), "{} vs {}", plain, factored);
        }
    }

    fn values(text: &str, date: Option<&str>) -> Vec<(String, String, String)> {
        let rules = rules();
        let mut doc = Document::new("t", text);
        doc.date = date.and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        let seg = Segmenter::new().segment(text);
        let mut out = Vec::new();
        rules.find(&doc, &seg, &mut out);
        out.iter()
            .map(|v| {
                (
                    v.vtype.as_str().to_string(),
                    v.span.slice(text).to_string(),
                    v.value.as_str().unwrap_or("").to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn explicit_date() {
        let v = values("They met on June 19, 2025 in Washington.", None);
        assert_eq!(
            v,
            vec![("date".into(), "June 19, 2025".into(), "2025-06-19".into())]
        );
    }

    #[test]
    fn weekday_follows_the_news_convention() {
        let v = values("The minister spoke on Friday.", Some("1998-08-10"));
        assert_eq!(v[0].2, "1998-08-07");
        let v = values("The minister will speak on Friday.", Some("1998-08-10"));
        assert_eq!(v[0].2, "1998-08-14");
        let v = values("The minister spoke on Friday.", None);
        assert_eq!(v[0].2, "XXXX-WXX-5");
    }

    #[test]
    fn relative_without_date_stays_underspecified() {
        let v = values("Attacks rose last year.", None);
        assert_eq!(v[0].2, "XXXX");
        let v = values("Attacks rose last year.", Some("2025-06-20"));
        assert_eq!(v[0].2, "2024");
    }

    #[test]
    fn since_sets_the_relation() {
        let rules = rules();
        let text = "Violence has risen since March 2023.";
        let doc = Document::new("t", text);
        let seg = Segmenter::new().segment(text);
        let mut out = Vec::new();
        rules.find(&doc, &seg, &mut out);
        assert_eq!(out[0].value, Json::String("2023-03".into()));
        assert_eq!(
            out[0].extra.get("relation"),
            Some(&Json::String("since".into()))
        );
    }

    #[test]
    fn group_names_match_the_built_regex() {
        for rule in &rules().rules {
            let built = build_rule_regex(&rule.source).expect("pattern builds");
            let want: Vec<&str> = built.capture_names().flatten().collect();
            assert_eq!(group_names(&rule.source), want, "{}", rule.rule_id);
        }
        assert_eq!(
            group_names(r"(?P<a>x)\(?P<b>[(?P<c>]](?<d>y)[^]]"),
            vec!["a", "d"]
        );
    }

    #[test]
    fn bad_pattern_reports_its_line() {
        let text = "[[date]]\nid = \"x\"\npattern = '(?P<year>\\d{4}'\nvalue = \"{year}\"\n";
        let pack =
            RulePack::from_sources([("rules/dates.toml".to_string(), text.to_string())]).unwrap();
        let err = TemporalRules::compile(&pack).unwrap_err();
        assert_eq!(err[0].line, 3);
        assert!(err[0].to_string().contains("[x]"), "{}", err[0]);
    }

    #[test]
    fn rule_examples_hold() {
        let pack = RulePack::embedded().expect("default pack");
        let pipeline = crate::pipeline::Pipeline::new(&pack).expect("pack compiles");
        let examples = TemporalRules::examples(&pack);
        assert!(examples.len() > 50);
        let errors = pipeline.check_examples(&pack, &examples);
        let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{}", shown.join("\n"));
    }

    #[test]
    fn grain_follows_the_value() {
        for (v, g) in [
            ("2025-06-19", Some("day")),
            ("2024-05", Some("month")),
            ("2025", Some("year")),
            ("XXXX", Some("year")),
            ("199", Some("decade")),
            ("19", Some("century")),
            ("2025-Q2", Some("quarter")),
            ("2025-SU", Some("season")),
            ("2013-W11", Some("week")),
            ("XXXX-WXX-5", Some("day")),
            ("2025-06-19T14:30", Some("time")),
            ("P3Y", Some("year")),
            ("PT2H", Some("hour")),
            ("PRESENT_REF", None),
        ] {
            assert_eq!(infer_grain(v).as_deref(), g, "{v}");
        }
    }

    #[test]
    fn rule_starts_miss_no_match() {
        // Every match of every rule's own regex starts where the DFA walk
        // says that rule matches, whatever precedes it: a sentence start, a
        // space, a word glued by punctuation, a curly quote, a dash or a
        // newline; and on every suffix of each text.
        let texts = [
            "On Jan. 5, 2024 at 2:30 p.m. the council met.",
            "x(2019-2020) and 'the 1990s', then—last week—talks",
            "“Three years ago,” he said; 19 June 2025’s talks resumed.",
            "FY2024–25 budget\nQ3 2024 results, H1 2023 and 2023-W05.",
            "Pakistan's 2025 budget, every Monday, twice a year, 45 days later.",
            "since mid-March until the end of the year, the following day",
        ];
        let r = rules();
        let Some(walk) = r.starts.as_ref() else {
            panic!("the default rules compile")
        };
        let mut starts = Vec::new();
        for text in texts {
            for (i, _) in text.char_indices() {
                let hay = &text[i..];
                starts.clear();
                assert!(walk.find(hay, &mut starts).is_ok());
                for (ri, rule) in r.rules.iter().enumerate() {
                    let Some(re) = rule.regex() else { continue };
                    for m in re.find_iter(hay) {
                        assert!(
                            starts.contains(&(ri, m.start(), m.end())),
                            "{} at {} not reported in {hay:?}",
                            rule.rule_id,
                            m.start()
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn every_prefix_of_a_text_is_safe() {
        // Cut a text with dates and non-ASCII at every char boundary: no
        // panic, and every span slices its text.
        let text = "Naïve — on Jan. 5, 2024 at 2:30 p.m., “last week” and 19 June 2025’s talks; FY2024–25 in the ’90s.";
        for (i, _) in text.char_indices() {
            let part = &text[..i];
            let mut doc = Document::new("t", part);
            doc.date = NaiveDate::from_ymd_opt(2025, 6, 20);
            let seg = crate::segment::Segmenter::new().segment(part);
            let mut out = Vec::new();
            rules().find(&doc, &seg, &mut out);
            for v in &out {
                assert!(part.get(v.span.start..v.span.end).is_some(), "{part:?}");
            }
        }
    }

    #[test]
    fn no_panic_on_odd_text() {
        for t in [
            "",
            "Feb. 30, 2025",
            "99999 years",
            "On 31/31/2025",
            "é June 1 é",
        ] {
            let _ = values(t, Some("2025-01-01"));
        }
    }

    #[test]
    fn relation_word_is_the_whole_last_word_before_spaces() {
        assert_eq!(relation_word("attacks since "), Some("since"));
        assert_eq!(relation_word("Until\n"), Some("until"));
        assert_eq!(relation_word("lasted till  "), Some("until"));
        assert_eq!(relation_word("by"), None, "no space after it");
        assert_eq!(relation_word("nearby "), None, "not a word of its own");
        assert_eq!(relation_word("x_from "), None);
        assert_eq!(relation_word("9by "), None);
        assert_eq!(relation_word("(from "), Some("from"));
        assert_eq!(relation_word("  "), None);
        assert_eq!(relation_word(""), None);
    }
}
