//! The scan: one pass over each sentence's tokens. Only number tokens and
//! number words start a value; everything else is a hash lookup away from
//! being skipped.

use serde_json::Value as Json;

use super::{Decimal, NumberRules};
use crate::layers::{Qualifier, Value, ValueType};
use crate::segment::{Segmentation, TokenKind};
use crate::span::Span;

/// Words that end a counted noun phrase (a `match`: this runs on every
/// word after a number, and a linear scan of the list cost more than the
/// rest of the test).
fn np_stop(w: &str) -> bool {
    matches!(
        w,
        "the"
            | "a"
            | "an"
            | "of"
            | "in"
            | "on"
            | "at"
            | "to"
            | "for"
            | "from"
            | "by"
            | "with"
            | "and"
            | "or"
            | "but"
            | "as"
            | "than"
            | "that"
            | "which"
            | "who"
            | "whom"
            | "were"
            | "was"
            | "is"
            | "are"
            | "be"
            | "been"
            | "being"
            | "has"
            | "have"
            | "had"
            | "will"
            | "would"
            | "could"
            | "should"
            | "may"
            | "might"
            | "can"
            | "did"
            | "do"
            | "does"
            | "said"
            | "says"
            | "this"
            | "these"
            | "those"
            | "its"
            | "their"
            | "his"
            | "her"
            | "our"
            | "it"
            | "they"
            | "we"
            | "he"
            | "she"
            | "per"
            | "each"
            | "most"
            | "less"
            | "over"
            | "under"
            | "since"
            | "during"
            | "after"
            | "before"
            | "until"
            | "between"
            | "into"
            | "across"
            | "against"
            | "within"
            | "without"
            | "through"
            | "while"
            | "when"
            | "where"
            | "also"
            | "only"
            | "just"
            | "about"
            | "around"
            | "nearly"
            | "almost"
            | "not"
            | "no"
            | "so"
            | "such"
            | "if"
            | "then"
            | "there"
            | "here"
            | "us"
            | "plus"
            | "thus"
            | "all"
            | "both"
            | "respectively"
            | "including"
            | "among"
            | "amid"
            | "like"
            | "near"
            | "reportedly"
            | "reported"
            | "killed"
            | "died"
            | "arrested"
            | "'s"
    )
}

/// Words between a count and its casualty verb that make the verb passive.
const AUX_PASSIVE: &[&str] = &["were", "was", "been", "being", "are", "is", "got", "get"];
/// Other words that may stand between a count and its casualty verb.
const AUX_OTHER: &[&str] = &[
    "have",
    "has",
    "had",
    "reportedly",
    "reported",
    "also",
    "later",
    "allegedly",
    "all",
    "both",
    "each",
    "left",
    "confirmed",
    "officially",
    "subsequently",
    "either",
    "critically",
    "seriously",
    "severely",
    "badly",
    "fatally",
    "and",
    "others",
    "other",
    "people",
];
/// Words that end the clause a casualty verb is looked for in.
const CLAUSE_STOP: &[&str] = &[
    ".",
    ";",
    ":",
    "(",
    ")",
    "!",
    "?",
    ",",
    "who",
    "which",
    "that",
    "but",
    "after",
    "when",
    "while",
    "because",
    "since",
    "although",
    "if",
    "said",
    "says",
    "according",
    "than",
];
/// Words after an unaided casualty verb that keep it passive ("two soldiers
/// killed in an attack"); anything else reads as an object ("militants
/// killed two soldiers").
const PASSIVE_NEXT: &[&str] = &[
    "in",
    "at",
    "on",
    "during",
    "while",
    "when",
    "and",
    "or",
    "by",
    "as",
    "after",
    "near",
    "since",
    "following",
    "yesterday",
    "today",
    "overnight",
    "last",
    "this",
    "earlier",
    "so",
    "so-far",
    "inside",
    "outside",
    "across",
    "within",
    "amid",
    "-",
    ",",
    ".",
    ";",
    ":",
    ")",
    "(",
];
/// Words before a year that make it a date.
const YEAR_BEFORE: &[&str] = &[
    "in",
    "since",
    "from",
    "by",
    "of",
    "during",
    "until",
    "till",
    "before",
    "after",
    "the",
    "and",
    "between",
    "year",
    "fiscal",
    "fy",
    "early",
    "late",
    "mid",
    "'s",
    "through",
    "for",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    ",",
    "-",
    "/",
    "summer",
    "winter",
    "spring",
    "autumn",
    "fall",
    "this",
    "that",
    "circa",
    "c",
];

/// A parsed number: tokens `start..end`.
#[derive(Debug, Clone, Copy)]
struct Num {
    end: usize,
    value: Decimal,
    /// The multiplier of a scale word that followed ("million").
    scale: Option<u64>,
    vague: bool,
    /// `(numerator, denominator)` of "two-thirds".
    fraction: Option<(u64, u64)>,
    year_like: bool,
    /// Written in words.
    word: bool,
    /// Letters glued to digits ("1.5bn" -> "bn"), as a byte range.
    suffix: Option<Span>,
    /// The length in bytes of a currency symbol glued before the digits
    /// ("Rs1.2bn" -> 2), which [`Scanner::glued_symbol`] found.
    glued: Option<usize>,
}

impl Num {
    /// A number written in words, with no scale or suffix.
    fn words(end: usize, value: Decimal, vague: bool, fraction: Option<(u64, u64)>) -> Num {
        Num {
            end,
            value,
            scale: None,
            vague,
            fraction,
            year_like: false,
            word: true,
            suffix: None,
            glued: None,
        }
    }
}

/// Heads that count the members of what their of-phrase names ("four
/// members of the Frontier Corps", "two officers of the Levies").
const PARTITIVE_HEADS: &[&str] = &["members", "member", "men", "cadres"];

/// Heads of a count of people that an of-phrase may name the body of
/// ("four personnel of the Frontier Corps").
const PERSONNEL_HEADS: &[&str] = &["personnel", "officers", "officials", "jawans", "soldiers"];

/// A counted noun phrase: tokens `start..end`, and its class.
#[derive(Debug, Clone, Copy)]
struct NounPhrase {
    start: usize,
    end: usize,
    class: Option<usize>,
}

pub(super) struct Scanner<'a> {
    r: &'a NumberRules,
    text: &'a str,
    seg: &'a Segmentation,
    /// Temporal spans, sorted.
    blocked: Vec<Span>,
    key: String,
    /// Per currency, how many document words are in its context; counted
    /// on the first shared symbol only.
    context_scores: Option<Vec<usize>>,
}

impl<'a> Scanner<'a> {
    pub fn new(
        r: &'a NumberRules,
        text: &'a str,
        seg: &'a Segmentation,
        temporal: &[Value],
    ) -> Scanner<'a> {
        let mut blocked: Vec<Span> = temporal.iter().map(|v| v.span).collect();
        blocked.sort();
        Scanner {
            r,
            text,
            seg,
            blocked,
            key: String::new(),
            context_scores: None,
        }
    }

    pub fn run(&mut self, out: &mut Vec<Value>) {
        for s in 0..self.seg.sentences.len() {
            let range = self.seg.sentences[s].tokens.clone();
            let (lo, hi) = (range.start, range.end);
            let mut i = lo;
            while i < hi {
                if !self.may_start(i) || self.in_temporal(i) {
                    i += 1;
                    continue;
                }
                match self.value_at(i, lo, hi) {
                    Some((v, next)) => {
                        out.push(v);
                        i = next.max(i + 1);
                    }
                    None => i += 1,
                }
            }
        }
    }

    fn f(&self, i: usize) -> &'a str {
        self.seg.folded(i)
    }

    fn kind(&self, i: usize) -> TokenKind {
        self.seg.tokens[i].kind
    }

    fn span(&self, i: usize) -> Span {
        self.seg.tokens[i].span
    }

    fn may_start(&self, i: usize) -> bool {
        match self.kind(i) {
            TokenKind::Number => true,
            TokenKind::Word => {
                let w = self.f(i);
                // By the first byte, so that most words meet one test.
                match w.as_bytes().first() {
                    Some(b'a') if w == "a" || w == "an" => true,
                    Some(b't' | b'h' | b'i')
                        if matches!(w, "the" | "their" | "his" | "her" | "its") =>
                    {
                        i > 0 && matches!(self.f(i - 1), "and" | ",")
                    }
                    _ => {
                        self.r.is_number_word(w)
                            || w == "tens"
                            || w == "half"
                            || (w.bytes().any(|b| b.is_ascii_digit())
                                && self.glued_symbol(i).is_some())
                    }
                }
            }
            TokenKind::Punct => false,
        }
    }

    fn in_temporal(&self, i: usize) -> bool {
        let sp = self.span(i);
        let k = self.blocked.partition_point(|b| b.end <= sp.start);
        self.blocked.get(k).is_some_and(|b| b.start < sp.end)
    }

    /// No whitespace between tokens `a` and `b` (a < b, adjacent).
    fn glued(&self, a: usize, b: usize) -> bool {
        self.span(a).end == self.span(b).start
    }

    /// The folded (or stemmed) tokens `a..b`, space-joined, in `self.key`.
    fn build_key(&mut self, a: usize, b: usize, stems: bool) {
        self.key.clear();
        for k in a..b {
            if k > a {
                self.key.push(' ');
            }
            let part = if stems {
                self.seg.stem(k)
            } else {
                self.seg.folded(k)
            };
            self.key.push_str(part);
        }
    }

    /// The longest phrase of `map` that ends just before token `end` and
    /// starts at or after `lo`: its first token and its value.
    fn phrase_ending<V: Copy>(
        &mut self,
        map: &super::FxMap<String, V>,
        max: usize,
        end: usize,
        lo: usize,
    ) -> Option<(usize, V)> {
        if end <= lo || !self.r.lasts.contains(self.f(end - 1)) {
            return None;
        }
        for len in (1..=max.min(end - lo)).rev() {
            self.build_key(end - len, end, false);
            if let Some(v) = map.get(self.key.as_str()) {
                return Some((end - len, *v));
            }
        }
        None
    }

    /// The longest phrase of `map` that starts at token `start` (ending at
    /// or before `hi`): its end and its value.
    fn phrase_starting<V: Copy>(
        &mut self,
        map: &super::FxMap<String, V>,
        max: usize,
        start: usize,
        hi: usize,
    ) -> Option<(usize, V)> {
        if start >= hi || !self.r.firsts.contains(self.f(start)) {
            return None;
        }
        for len in (1..=max.min(hi - start)).rev() {
            self.build_key(start, start + len, false);
            if let Some(v) = map.get(self.key.as_str()) {
                return Some((start + len, *v));
            }
        }
        None
    }

    /// The currency a symbol at tokens `a..b` stands for: the first that
    /// claims it, unless another claimant's context words are more frequent
    /// in the document ("Rs" in a text about India is INR).
    fn pick_currency(&mut self, a: usize, b: usize, first: usize) -> usize {
        self.build_key(a, b, false);
        self.pick_currency_of_key(first)
    }

    /// [`Self::pick_currency`] for the symbol already in `self.key`.
    fn pick_currency_of_key(&mut self, first: usize) -> usize {
        let Some(claimants) = self.r.shared_symbols.get(self.key.as_str()) else {
            return first;
        };
        let r = self.r;
        let seg = self.seg;
        let scores = self.context_scores.get_or_insert_with(|| {
            let mut scores = vec![0; r.currencies.len()];
            for t in 0..seg.tokens.len() {
                if let Some(cs) = r.context_of(seg.folded(t)) {
                    for &c in cs {
                        scores[c] += 1;
                    }
                }
            }
            scores
        });
        let mut best = first;
        for &c in claimants {
            if scores[c] > scores[best] {
                best = c;
            }
        }
        best
    }

    /// A number starting at token `i`.
    fn parse_at(&self, i: usize, hi: usize) -> Option<Num> {
        match self.kind(i) {
            TokenKind::Number => self.parse_digits(i, hi, 0),
            TokenKind::Word => match self.glued_symbol(i) {
                Some(skip) => self.parse_digits(i, hi, skip).map(|n| Num {
                    glued: Some(skip),
                    ..n
                }),
                None => self.parse_words(i, hi),
            },
            TokenKind::Punct => None,
        }
    }

    /// The length of a currency symbol that token `i` starts with, glued to
    /// digits ("Rs1.2bn", "PKR50m": one word token by UAX #29).
    fn glued_symbol(&self, i: usize) -> Option<usize> {
        let raw = self.span(i).slice(self.text);
        let k = raw.find(|c: char| c.is_ascii_digit())?;
        // A short symbol in capitals glued to digits is a name ("RS232").
        if k <= 2 && raw[..k].bytes().all(|b| b.is_ascii_uppercase()) {
            return None;
        }
        let head = raw[..k].to_ascii_lowercase();
        (k > 0 && self.r.currency_symbols.contains_key(head.as_str())).then_some(k)
    }

    /// The number in token `i`, from byte `skip` of it (past a glued
    /// currency symbol).
    fn parse_digits(&self, i: usize, hi: usize, skip: usize) -> Option<Num> {
        let whole = self.span(i);
        let sp = Span::new(whole.start + skip, whole.end);
        let raw = sp.slice(self.text);
        let cut = raw
            .find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))
            .unwrap_or(raw.len());
        let digits = &raw[..cut];
        let suffix = &raw[cut..];
        if digits.len() > 1 && digits.starts_with('0') && !digits.starts_with("0.") {
            return None;
        }
        let mut value = Decimal::parse(digits)?;
        let plain = !digits.contains([',', '.']);
        if plain && digits.len() >= 7 {
            return None; // a phone or reference number
        }
        let mut scale = None;
        let suffix = if suffix.is_empty() {
            None
        } else {
            let low = suffix.to_ascii_lowercase();
            if matches!(low.as_str(), "st" | "nd" | "rd" | "th") || !suffix.is_ascii() {
                return None;
            }
            if let Some(&s) = self.r.scale.get(low.as_str()) {
                value = value.times(s)?;
                scale = Some(s);
                None
            } else {
                Some(Span::new(sp.start + cut, sp.end))
            }
        };
        let year_like = plain
            && suffix.is_none()
            && scale.is_none()
            && digits.len() == 4
            && (1800..=2100).contains(&value.mantissa);
        let mut j = i + 1;
        if suffix.is_none() {
            while j < hi {
                let Some(&s) = self.r.scale.get(self.f(j)) else {
                    break;
                };
                value = value.times(s)?;
                scale = Some(scale.unwrap_or(1).saturating_mul(s));
                j += 1;
            }
        }
        Some(Num {
            end: j,
            value,
            scale,
            vague: false,
            fraction: None,
            year_like: year_like && j == i + 1,
            word: false,
            suffix,
            glued: None,
        })
    }

    fn parse_words(&self, i: usize, hi: usize) -> Option<Num> {
        let w = self.f(i);
        // "half of", "a third of", "a quarter of": a share of what follows.
        let (den_at, lead) = if matches!(w, "a" | "one") {
            (i + 1, 1)
        } else {
            (i, 0)
        };
        if den_at + 1 < hi
            && self.f(den_at + 1) == "of"
            && (lead == 1 || w == "half")
            && matches!(
                self.f(den_at),
                "half" | "third" | "quarter" | "fifth" | "tenth"
            )
        {
            if let Some(&den) = self.r.fraction.get(self.f(den_at)) {
                return Some(Num::words(
                    den_at + 1,
                    Decimal::int(1),
                    false,
                    Some((1, den)),
                ));
            }
        }
        // "half a dozen": six.
        if w == "half" && i + 2 < hi && self.f(i + 1) == "a" && self.f(i + 2) == "dozen" {
            return Some(Num::words(i + 3, Decimal::int(6), false, None));
        }
        // "tens of thousands", "hundreds of thousands": the lead's minimum
        // times the unit of the plural after it (20,000; 200,000).
        let lead = if w == "tens" {
            Some(20)
        } else {
            self.r.vague.get(w).copied()
        };
        if let Some(l) = lead.filter(|_| i + 2 < hi && self.f(i + 1) == "of") {
            let unit = match self.f(i + 2) {
                "thousands" => Some(1_000u64),
                "millions" => Some(1_000_000),
                _ => None,
            };
            if let Some(v) = unit.and_then(|u| u.checked_mul(l)) {
                return Some(Num::words(i + 3, Decimal::int(v), true, None));
            }
        }
        if let Some(&v) = self.r.vague.get(w) {
            return Some(Num::words(i + 1, Decimal::int(v), true, None));
        }
        let mut total: u64 = 0;
        let mut current: u64 = 0;
        let mut j = i;
        let mut any = false;
        let mut last_tens = false;
        let mut after_scale = false;
        let mut scale = None;
        if w == "a" || w == "an" {
            let next = (i + 1 < hi).then(|| self.f(i + 1))?;
            if next != "dozen" && !self.r.scale.contains_key(next) {
                return None;
            }
            current = 1;
            j = i + 1;
        }
        while j < hi {
            let fw = self.f(j);
            if let Some(&c) = self.r.cardinal.get(fw) {
                if fw == "dozen" || fw == "score" {
                    if fw == "score" && !any {
                        break;
                    }
                    current = current.max(1).saturating_mul(c);
                    any = true;
                    last_tens = false;
                    j += 1;
                    continue;
                }
                let fits = !any || (last_tens && c < 10) || (after_scale && current % 100 == 0);
                if !fits {
                    break;
                }
                current = current.saturating_add(c);
                last_tens = (20..100).contains(&c) && c % 10 == 0;
                after_scale = false;
                any = true;
                j += 1;
            } else if let Some(&s) = self.r.scale.get(fw) {
                if !any && current == 0 {
                    break;
                }
                if s == 100 {
                    current = current.max(1).saturating_mul(100);
                } else {
                    total = total.saturating_add(current.max(1).saturating_mul(s));
                    current = 0;
                }
                scale = Some(s);
                any = true;
                after_scale = true;
                last_tens = false;
                j += 1;
            } else if self.joins_words(fw, j, hi, last_tens, after_scale) {
                j += 1;
            } else {
                break;
            }
        }
        if !any {
            return None;
        }
        let value = total.saturating_add(current);
        // "one" as a pronoun: "one of the", "the one who".
        if w == "one" && j == i + 1 {
            let prev = i.checked_sub(1).map(|p| self.f(p)).unwrap_or("");
            let next = if j < hi { self.f(j) } else { "" };
            if matches!(
                prev,
                "the" | "this" | "that" | "any" | "no" | "every" | "each" | "which" | "no-"
            ) || matches!(
                next,
                "of" | "another" | "who" | "that" | "which" | "'s" | "by"
            ) {
                return None;
            }
        }
        let mut num = Num {
            end: j,
            value: Decimal::int(value),
            scale,
            vague: false,
            fraction: None,
            year_like: false,
            word: true,
            suffix: None,
            glued: None,
        };
        // "two-thirds", "three quarters".
        let mut k = j;
        if k < hi && self.f(k) == "-" && self.glued(k - 1, k) {
            k += 1;
        }
        if k < hi && value > 0 && value <= 20 {
            if let Some(&den) = self.r.fraction.get(self.f(k)) {
                num.fraction = Some((value, den));
                num.end = k + 1;
            }
        }
        Some(num)
    }

    /// "twenty-five" (a hyphen after tens) and "three hundred and twenty"
    /// ("and" after a scale) join number words.
    fn joins_words(
        &self,
        fw: &str,
        j: usize,
        hi: usize,
        last_tens: bool,
        after_scale: bool,
    ) -> bool {
        if j + 1 >= hi {
            return false;
        }
        let next = self.f(j + 1);
        match fw {
            "-" => {
                last_tens
                    && self.glued(j - 1, j)
                    && self.glued(j, j + 1)
                    && self.r.cardinal.get(next).is_some_and(|&c| c < 10)
            }
            "and" => after_scale && self.r.cardinal.contains_key(next),
            _ => false,
        }
    }

    /// The token at `i` is glued to a word or number before it ("F-16",
    /// "COVID-19", "9/11") or is a phone number ("+92").
    fn attached_before(&self, i: usize) -> bool {
        let start = self.span(i).start;
        let before = &self.text[..start];
        let mut chars = before.chars().rev();
        match chars.next() {
            Some(c) if c.is_alphanumeric() => true,
            Some('-' | '/' | '\u{2010}' | '\u{2011}') => {
                chars.next().is_some_and(char::is_alphanumeric)
            }
            Some('+' | '#' | '\u{2116}') => true,
            _ => false,
        }
    }

    /// The number ending before token `e` is glued to what follows:
    /// "30-year-old", "12/05", "10:30", "1.2.3".
    fn attached_after(&self, e: usize, hi: usize) -> bool {
        if e + 1 >= hi || !self.glued(e - 1, e) || !self.glued(e, e + 1) {
            return e < hi && self.glued(e - 1, e) && self.f(e) == ":";
        }
        matches!(self.f(e), "-" | "/" | ":" | "." | "x")
    }

    /// The value starting at token `i`, and the token after it.
    fn value_at(&mut self, i: usize, lo: usize, hi: usize) -> Option<(Value, usize)> {
        let r = self.r;
        let Some(num) = self.parse_at(i, hi) else {
            return self.single_count(i, hi);
        };
        if self.kind(i) == TokenKind::Number && self.attached_before(i) {
            // "$1.5" and "₹500" are glued to their symbol.
            let prev_sym = i > lo && self.kind(i - 1) == TokenKind::Punct;
            if !prev_sym {
                return None;
            }
            if let Some(c) = self.text[..self.span(i).start].chars().next_back() {
                if c == '-' || c == '/' || c == '+' || c == '#' {
                    return None;
                }
            }
        }
        let prev = if i > lo { self.f(i - 1) } else { "" };
        if i > lo && self.r.labels.contains(prev) {
            return None;
        }
        if prev == "." && i > lo + 1 && self.r.labels.contains(self.f(i - 2)) {
            return None;
        }
        // Ranges: "4-5", "40 to 50", "between 40 and 50", "two or three".
        let between = prev == "between";
        let mut end = num.end;
        let mut value = num.value;
        let mut max: Option<Decimal> = None;
        if end + 1 < hi && !num.vague && num.fraction.is_none() && num.suffix.is_none() {
            let sep = self.f(end);
            let ok_sep = match sep {
                "-" => true,
                "to" => prev != "from",
                "and" => between,
                "or" => num.word,
                _ => false,
            };
            if ok_sep {
                if let Some(n2) = self.parse_at(end + 1, hi) {
                    if !n2.year_like && !n2.vague && n2.fraction.is_none() && n2.suffix.is_none() {
                        let mut low = num.value;
                        if num.scale.is_none() {
                            if let Some(s) = n2.scale {
                                low = low.times(s)?;
                            }
                        }
                        if as_f64(n2.value) > as_f64(low) {
                            value = low;
                            max = Some(n2.value);
                            end = n2.end;
                        }
                    }
                }
            }
        }
        if between && max.is_none() {
            return None;
        }
        // "A 300-km stretch", "a 5-kg bomb": a unit hyphened to the number
        // is its unit; anything else hyphened on ("12-member", "F-16")
        // makes it no value.
        let mut unit_at = end;
        if max.is_none() && num.suffix.is_none() && end < hi && self.attached_after(end, hi) {
            let hyphened = self.f(end) == "-"
                && !num.word
                && self
                    .phrase_starting(&r.unit_words, self.r.max_unit, end + 1, hi)
                    .is_some_and(|(e2, u)| {
                        self.r.units[u].vtype == ValueType::Quantity
                            && (e2 >= hi || !self.glued(e2 - 1, e2))
                    });
            if !hyphened {
                return None;
            }
            unit_at = end + 1;
        }
        // "42+": more than.
        let mut plus = false;
        if max.is_none() && end < hi && self.f(end) == "+" && self.glued(end - 1, end) {
            plus = true;
            end += 1;
        }
        let mut first = if between { i - 1 } else { i };
        // A currency symbol before, then a qualifier before that.
        let currency = if first > lo {
            self.phrase_ending(&r.currency_symbols, self.r.max_symbol, first, lo)
        } else {
            None
        };
        let currency = currency.map(|(k, cur)| (k, self.pick_currency(k, first, cur)));
        // "Rs1.2bn": the symbol inside the number's own token.
        let currency = currency.or_else(|| {
            let skip = num.glued?;
            let head = self.span(i).slice(self.text)[..skip].to_ascii_lowercase();
            let &cur = self.r.currency_symbols.get(head.as_str())?;
            self.key.clear();
            self.key.push_str(&head);
            Some((first, self.pick_currency_of_key(cur)))
        });
        if let Some((k, _)) = currency {
            first = k;
        }
        let mut qualifier = None;
        if !between && first > lo && self.r.lasts.contains(self.f(first - 1)) {
            let quals = &self.r.qualifiers;
            for len in (1..=self.r.max_qualifier.min(first - lo)).rev() {
                self.build_key(first - len, first, false);
                if let Some((q, _)) = quals.get(self.key.as_str()) {
                    qualifier = Some(*q);
                    first -= len;
                    break;
                }
            }
        }
        if num.year_like
            && max.is_none()
            && qualifier.is_none()
            && currency.is_none()
            && YEAR_BEFORE.contains(&prev)
        {
            return None;
        }
        if plus && qualifier.is_none() {
            qualifier = Some(Qualifier::MoreThan);
        }
        // "all 33 militants", "the three gunmen": the determiner is part of
        // the counted phrase.
        let determiner = qualifier.is_none()
            && currency.is_none()
            && !between
            && first > lo
            && matches!(self.f(first - 1), "the" | "all")
            && num.fraction.is_none();
        let count_first = if determiner { first - 1 } else { first };
        let span_of = |a: usize, b: usize, s: &Self| Span::new(s.span(a).start, s.span(b - 1).end);

        // Fractions are shares.
        if let Some((n, den)) = num.fraction {
            let share = Decimal {
                mantissa: (n as u128 * 100_000 / den as u128 + 5) / 10,
                places: 2,
            }
            .times(1)?;
            let mut v = Value::new(
                span_of(first, end, self),
                ValueType::Percent,
                share.to_json(),
                self.r.fraction_rule.clone(),
            );
            v.qualifier = qualifier;
            v.extra
                .insert("fraction".into(), Json::from(format!("{n}/{den}")));
            return Some((v, end));
        }

        // Money.
        let mut suffix_unit = None;
        if let Some(sfx) = num.suffix {
            let low = sfx.slice(self.text).to_ascii_lowercase();
            if currency.is_some() && (low == "m" || low == "k") {
                value = value.times(if low == "m" { 1_000_000 } else { 1000 })?;
            } else if let Some(&u) = self.r.unit_words.get(low.as_str()) {
                suffix_unit = Some(u);
            } else {
                return None;
            }
        }
        let money = |s: &Self, cur: usize, a: usize, b: usize, value: Decimal| {
            let c = &s.r.currencies[cur];
            let mut v = Value::new(
                span_of(a, b, s),
                ValueType::Money,
                value.to_json(),
                c.rule.clone(),
            );
            v.currency = Some(c.code.clone());
            v.qualifier = qualifier;
            if let Some(m) = max {
                v.min = Some(value.to_json());
                v.max = Some(m.to_json());
            }
            v
        };
        if let Some((_, cur)) = currency {
            // "$1.5 billion dollars" is rare; a trailing currency word is
            // taken in when present.
            let e2 = self
                .phrase_starting(&r.currency_words, self.r.max_currency_word, end, hi)
                .map(|(e, _)| e)
                .unwrap_or(end);
            return Some((money(self, cur, first, e2, value), e2));
        }
        if let Some((e2, cur)) =
            self.phrase_starting(&r.currency_words, self.r.max_currency_word, end, hi)
        {
            if !num.year_like || max.is_some() {
                let cur = self.pick_currency(end, e2, cur);
                return Some((money(self, cur, first, e2, value), e2));
            }
        }

        // Quantities and percents.
        let unit = match suffix_unit {
            Some(u) => Some((end, u)),
            None => self.phrase_starting(&r.unit_words, self.r.max_unit, unit_at, hi),
        };
        let unit = unit.filter(|&(_, u)| !(num.word && self.r.units[u].digits_only));
        // "Two Mi-17 helicopters": a unit word glued to "-" and a number is a
        // model's name, not the unit ("a 300 km-long border" keeps it).
        let unit = unit.filter(|&(e2, _)| {
            !(e2 + 1 < hi
                && self.f(e2) == "-"
                && self.glued(e2 - 1, e2)
                && self.glued(e2, e2 + 1)
                && self.kind(e2 + 1) == TokenKind::Number)
        });
        if let Some((e2, u)) = unit {
            if num.year_like && max.is_none() {
                return None;
            }
            let unit = &self.r.units[u];
            let mut v = Value::new(
                span_of(first, e2, self),
                unit.vtype,
                value.to_json(),
                unit.rule.clone(),
            );
            v.qualifier = qualifier;
            if unit.vtype == ValueType::Quantity {
                v.unit = Some(unit.unit.clone());
            }
            if let Some(m) = max {
                v.min = Some(value.to_json());
                v.max = Some(m.to_json());
            }
            return Some((v, e2));
        }

        // Counts.
        let mut p = end;
        if num.vague && p < hi && self.f(p) == "of" {
            p += 1;
        }
        if p < hi && self.r.not_counted.contains(self.f(p)) {
            return None;
        }
        if p + 1 < hi
            && self.kind(p) == TokenKind::Word
            && self.r.not_counted.contains(self.f(p + 1))
            && !np_stop(self.f(p))
        {
            return None; // "three consecutive days"
        }
        let np = self.noun_phrase(p, hi);
        if num.year_like && max.is_none() && np.is_none_or(|n| n.class.is_none()) {
            return None;
        }
        // "the Army's 28 Rashtriya Rifles", "5 Sikh Light Infantry": a
        // numbered unit's name, every word capitalized (outside a heading).
        if let Some(n) = np.filter(|n| n.end >= n.start + 2) {
            let named = (n.start..n.end).all(|k| {
                self.kind(k) == TokenKind::Word
                    && self
                        .span(k)
                        .slice(self.text)
                        .starts_with(char::is_uppercase)
            });
            let heading = self
                .seg
                .sentences
                .get(self.seg.tokens[i].sentence)
                .and_then(|s| self.seg.blocks.get(s.block))
                .is_some_and(|b| b.kind == crate::segment::BlockKind::Heading);
            if named && !heading {
                return None;
            }
        }
        let after = np.map(|n| n.end).unwrap_or(end);
        let np_class = np.and_then(|n| n.class);
        // "15 dead": the noun is the role.
        let role = match np_class.filter(|&c| self.r.classes[c].role) {
            Some(c) => Some(c),
            None => self
                .role_after(after, hi, 10)
                .or_else(|| self.role_before(count_first, lo)),
        };
        // "Fatalities: 9", "Attacks: 517": the class is the label's.
        let label_class = if np.is_none() && i >= lo + 2 && self.f(i - 1) == ":" {
            // Skip a parenthesis: "Fatalities (convoy attack only): 42+".
            let mut k = i - 2;
            if self.f(k) == ")" {
                while k > lo && self.f(k) != "(" {
                    k -= 1;
                }
                k = k.saturating_sub(1).max(lo);
            }
            self.class_of(k, k + 1)
        } else {
            None
        };
        // "from 517 in 2023 to 1,099", "compared with 219": the number of a
        // comparison counts the class noun said before it in the sentence.
        let label_class = match (np, role, label_class) {
            (None, None, None) if !num.word && as_f64(value).fract() == 0.0 => {
                self.compared_class(i, lo)
            }
            _ => label_class,
        };
        let np_class = np_class.or(label_class);
        let role = role.or_else(|| label_class.filter(|&c| self.r.classes[c].role));
        if np.is_none() && role.is_none() && label_class.is_none() {
            return None;
        }
        // "two sides", "three observations": small numbers in words count
        // only known classes.
        if np_class.is_none() && role.is_none() && num.word && as_f64(value) <= 10.0 {
            return None;
        }
        let (unit, rule) = match (np_class, role) {
            (Some(c), _) => (Some(&self.r.classes[c]), self.r.classes[c].rule.clone()),
            (None, Some(c)) => (Some(&self.r.classes[c]), self.r.classes[c].rule.clone()),
            (None, None) => (
                None,
                if num.word {
                    self.r.cardinal_rule.clone()
                } else {
                    self.r.digits_rule.clone()
                },
            ),
        };
        let role = role.or_else(|| np_class.filter(|&c| self.r.classes[c].role));
        let last = np.map(|n| n.end).unwrap_or(end);
        let mut v = Value::new(
            span_of(count_first, last, self),
            ValueType::Count,
            value.to_json(),
            rule,
        );
        v.qualifier = qualifier;
        v.unit = unit.map(|c| c.unit.clone());
        if let Some(n) = np {
            v.noun = Some(span_of(n.start, n.end, self).slice(self.text).to_string());
        }
        if let Some(m) = max {
            v.min = Some(value.to_json());
            v.max = Some(m.to_json());
        }
        if num.vague {
            v.rule = if np_class.is_some() {
                v.rule
            } else {
                self.r.vague_rule.clone()
            };
            v.min = Some(value.to_json());
            if v.qualifier.is_none() {
                v.qualifier = Some(Qualifier::Approx);
            }
        }
        if let Some(r) = role {
            v.extra
                .insert("role".into(), Json::from(self.r.classes[r].unit.clone()));
        }
        Some((v, last))
    }

    /// "a driver" (were killed): one of a class, when a casualty verb
    /// follows.
    fn single_count(&mut self, i: usize, hi: usize) -> Option<(Value, usize)> {
        // "a driver", "one policeman"; and in a list of casualties, "... and
        // their (civilian) driver were killed", "and the driver".
        let listed = i > 0
            && matches!(self.f(i - 1), "and" | ",")
            && matches!(self.f(i), "the" | "their" | "his" | "her" | "its");
        if !(matches!(self.f(i), "a" | "an" | "one") || listed) {
            return None;
        }
        // Only a casualty verb after the phrase makes it a count: most "a"
        // and "an" have none within reach (the phrase, then seven words).
        let reach = (i + 24).min(hi);
        if !(i + 1..reach).any(|k| self.r.is_verb_first(self.f(k))) {
            return None;
        }
        let np = self.noun_phrase(i + 1, hi)?;
        let class = np.class?;
        let head = np.end - 1;
        let singular = self.seg.stem(head) == self.f(head) || !self.f(head).ends_with('s');
        if !singular {
            return None;
        }
        // "the civilian driver of the vehicle were killed": an of-phrase
        // after the noun stands between it and the verb.
        // "a havildar and three constables were injured": the list's other
        // member stands between them too.
        let reach = if np.end < hi && matches!(self.f(np.end), "of" | "and") {
            7
        } else {
            4
        };
        let role = self.role_after(np.end, hi, reach)?;
        let span = Span::new(self.span(i).start, self.span(np.end - 1).end);
        let c = &self.r.classes[class];
        let mut v = Value::new(span, ValueType::Count, Json::from(1), c.rule.clone());
        v.unit = Some(c.unit.clone());
        v.noun = Some(
            Span::new(self.span(np.start).start, span.end)
                .slice(self.text)
                .to_string(),
        );
        v.extra
            .insert("role".into(), Json::from(self.r.classes[role].unit.clone()));
        Some((v, np.end))
    }

    fn is_np_word(&self, j: usize) -> bool {
        if self.kind(j) != TokenKind::Word || self.in_temporal(j) {
            return false;
        }
        let w = self.f(j);
        !(np_stop(w)
            || self.r.cardinal.contains_key(w)
            || self.r.vague.contains_key(w)
            || self.r.scale.contains_key(w))
    }

    /// The class of tokens `a..b`: by their folded form, else by stems.
    fn class_of(&mut self, a: usize, b: usize) -> Option<usize> {
        let last = b - 1;
        if !(self.r.noun_lasts.contains(self.f(last))
            || self.r.noun_lasts.contains(self.seg.stem(last)))
        {
            return None;
        }
        self.build_key(a, b, false);
        if let Some(&c) = self.r.noun_words.get(self.key.as_str()) {
            return Some(c);
        }
        // A participle is not a noun: "suspected" is not "suspect".
        let last = self.f(b - 1);
        if last.ends_with("ed") || last.ends_with("ing") {
            return None;
        }
        self.build_key(a, b, true);
        self.r.nouns.get(self.key.as_str()).copied()
    }

    /// The class key (stems) ending at token `j` and starting at or after
    /// `p`, longest first: the class.
    fn class_ending(&mut self, p: usize, j: usize) -> Option<usize> {
        let max = self.r.max_noun;
        for k in p..=j {
            if j + 1 - k > max {
                continue;
            }
            if let Some(c) = self.class_of(k, j + 1) {
                return Some(c);
            }
        }
        None
    }

    /// The counted noun phrase starting at token `p`.
    fn noun_phrase(&mut self, p: usize, hi: usize) -> Option<NounPhrase> {
        let mut best: Option<NounPhrase> = None;
        let mut j = p;
        let mut words = 0;
        while j < hi && words < 5 {
            if self.f(j) == "-"
                && j > p
                && j + 1 < hi
                && self.glued(j - 1, j)
                && self.glued(j, j + 1)
            {
                // A model number glued to its word: "two AK-47 rifles",
                // "four F-16 jets" (the number is the word's, not a count).
                let model = self.kind(j + 1) == TokenKind::Number
                    && self.kind(j - 1) == TokenKind::Word
                    && (j + 2 >= hi || !self.glued(j + 1, j + 2));
                j += if model { 2 } else { 1 };
                continue;
            }
            // The period of an abbreviation inside the phrase: "Thirteen
            // U.S. service members".
            if self.f(j) == "."
                && j > p
                && j + 1 < hi
                && self.glued(j - 1, j)
                && self.f(j - 1).contains('.')
                && self.is_np_word(j + 1)
            {
                j += 1;
                continue;
            }
            if !self.is_np_word(j) {
                break;
            }
            // "two others injured": a casualty word after the noun is its
            // verb, not part of it ("30 wounded" keeps it as the noun).
            if j > p && self.r.verbs.contains_key(self.f(j)) {
                break;
            }
            // Past the head, a participle is a verb ("two soldiers
            // ambushed"): the phrase ends.
            if best.is_some() && self.f(j).ends_with("ed") {
                break;
            }
            words += 1;
            // The rightmost class noun is the head: "nine terrorist camps",
            // "two explosives-laden vehicles", "police officers".
            if let Some(c) = self.class_ending(p, j) {
                best = Some(NounPhrase {
                    start: p,
                    end: j + 1,
                    class: Some(c),
                });
            }
            j += 1;
        }
        if let Some(mut np) = best {
            // "four personnel of the Frontier Corps", "two officers of
            // the Punjab Police": the body named after the head joins the
            // phrase, and gives the class when it has one.
            if np.end + 2 < hi
                && PERSONNEL_HEADS.contains(&self.f(np.end - 1))
                && self.f(np.end) == "of"
            {
                let k = np.end + if self.f(np.end + 1) == "the" { 2 } else { 1 };
                let mut end = k;
                while end < hi
                    && end < k + 4
                    && self.is_np_word(end)
                    && self
                        .span(end)
                        .slice(self.text)
                        .starts_with(char::is_uppercase)
                {
                    end += 1;
                }
                if end > k {
                    // The body's rightmost class noun ("the Punjab Police").
                    np.class = (k..end).find_map(|j| self.class_of(j, end)).or(np.class);
                    np.end = end;
                }
            }
            // "police and first responders": one count of both.
            let e = np.end;
            if e + 1 < hi && matches!(self.f(e), "and" | "&") && self.is_np_word(e + 1) {
                let mut k = e + 1;
                // A participle after "and" is a verb, not a second noun:
                // "12 worshippers and injured 30 others".
                while k < hi && k <= e + 3 && self.is_np_word(k) && !self.f(k).ends_with("ed") {
                    if self.class_ending(e + 1, k).is_some() {
                        np.end = k + 1;
                        break;
                    }
                    k += 1;
                }
            }
            return Some(np);
        }
        // "200 Taliban and affiliated fighters": a name, then "and" and a
        // counted noun phrase, counts both as that noun's class.
        let mut k = p;
        while k < hi
            && k < p + 3
            && self.kind(k) == TokenKind::Word
            && self
                .span(k)
                .slice(self.text)
                .starts_with(char::is_uppercase)
        {
            k += 1;
        }
        if k > p && k + 1 < hi && self.f(k) == "and" {
            if let Some(np) = self.noun_phrase(k + 1, hi).filter(|n| n.class.is_some()) {
                return Some(NounPhrase {
                    start: p,
                    end: np.end,
                    class: np.class,
                });
            }
        }
        // "Four members of the Frontier Corps": a partitive head counts
        // the class of its of-phrase.
        if p + 2 < hi && PARTITIVE_HEADS.contains(&self.f(p)) && self.f(p + 1) == "of" {
            let k = if self.f(p + 2) == "the" { p + 3 } else { p + 2 };
            for end in (k + 1..=(k + 3).min(hi)).rev() {
                if (k..end).all(|j| self.is_np_word(j)) {
                    if let Some(c) = self.class_of(k, end) {
                        return Some(NounPhrase {
                            start: p,
                            end,
                            class: Some(c),
                        });
                    }
                }
            }
        }
        // No class: a plain plural noun, possibly after one modifier.
        for j in p..(p + 2).min(hi) {
            if !self.is_np_word(j) {
                break;
            }
            let w = self.f(j);
            if self.r.not_counted.contains(w) {
                break;
            }
            let plural =
                w.len() >= 4 && w.ends_with('s') && !w.ends_with("ss") && self.seg.stem(j) != w;
            if plural {
                return Some(NounPhrase {
                    start: p,
                    end: j + 1,
                    class: None,
                });
            }
        }
        None
    }

    /// The class of a bare number that a comparison word introduces ("rose
    /// by 45 percent to 1,081", "from 517 in 2023 to 1,099", "compared
    /// with 219", "up from 95"): the nearest class noun before it in its
    /// sentence, up to 16 tokens back.
    fn compared_class(&mut self, i: usize, lo: usize) -> Option<usize> {
        if i == lo {
            return None;
        }
        let ok = match self.f(i - 1) {
            "to" | "from" | "against" | "versus" | "vs" => true,
            "with" => i >= lo + 2 && matches!(self.f(i - 2), "compared" | "compare"),
            _ => false,
        };
        if !ok {
            return None;
        }
        let stop = i.saturating_sub(16).max(lo);
        for k in (stop..i - 1).rev() {
            if matches!(self.f(k), ";" | ":") {
                return None;
            }
            if self.kind(k) != TokenKind::Word || self.in_temporal(k) {
                continue;
            }
            // The source of an attribution ("..., according to police
            // data, compared with 22") is not what was counted.
            let source = (k.saturating_sub(4).max(lo)..k)
                .rev()
                .take_while(|&j| self.f(j) != ",")
                .any(|j| self.f(j) == "according");
            if source {
                continue;
            }
            if let Some(c) = self.class_of(k, k + 1) {
                return Some(c);
            }
        }
        None
    }

    /// The role of a participle right before the count ("killing 21
    /// miners and wounding seven others").
    /// Also the last of a list after an active verb: "the blast killed
    /// the minister and at least five others" (not a passive: in "five
    /// were killed and 12 militants arrested" the 12 are not the dead).
    fn role_before(&mut self, first: usize, lo: usize) -> Option<usize> {
        if first <= lo {
            return None;
        }
        // "killing 21 miners", "gunned down six militants".
        let r = self.r;
        if let Some((_, c)) = self.phrase_ending(&r.verbs_before, r.max_verb_before, first, lo) {
            return Some(c);
        }
        if !matches!(self.f(first - 1), "and" | "as" | "well") {
            return None;
        }
        for k in (first.saturating_sub(10).max(lo + 1)..first - 1).rev() {
            let w = self.f(k);
            if matches!(w, "." | ";" | ":" | "," | "and" | "or" | "while" | "but")
                || self.kind(k) == TokenKind::Number
            {
                return None;
            }
            if let Some(&c) = self.r.verbs_before.get(w) {
                let passive = matches!(self.f(k - 1), "was" | "were" | "been" | "be" | "being");
                return (!passive).then_some(c);
            }
        }
        None
    }

    /// A casualty verb later in the clause that starts at token `e`.
    fn role_after(&mut self, e: usize, hi: usize, max_steps: usize) -> Option<usize> {
        let r = self.r;
        let mut j = e;
        let mut passive = false;
        let mut steps = 0;
        while j < hi && steps < max_steps {
            if let Some((e2, cls)) = self.phrase_starting(&r.verbs, self.r.max_verb, j, hi) {
                let next = if e2 < hi { self.f(e2) } else { "." };
                let unaided = passive
                    || PASSIVE_NEXT.contains(&next)
                    || self.kind(e2.min(hi.saturating_sub(1))) == TokenKind::Punct
                    || e2 >= hi;
                return unaided.then_some(cls);
            }
            let w = self.f(j);
            // "Ten Maoists, including four women, were killed": the verb is
            // past the apposition.
            if w == "," && j + 1 < hi && matches!(self.f(j + 1), "including" | "among") {
                if let Some(close) = (j + 2..(j + 12).min(hi)).find(|&k| self.f(k) == ",") {
                    j = close + 1;
                    continue;
                }
            }
            if CLAUSE_STOP.contains(&w) {
                return None;
            }
            if AUX_PASSIVE.contains(&w) {
                passive = true;
            } else if !AUX_OTHER.contains(&w) && steps > 5 {
                return None;
            }
            j += 1;
            steps += 1;
        }
        None
    }
}

fn as_f64(d: Decimal) -> f64 {
    d.mantissa as f64 / 10f64.powi(d.places as i32)
}
