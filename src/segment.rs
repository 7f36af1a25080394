//! Segmentation: blocks (headings, paragraphs, list items), sentences and
//! tokens, each with its byte span in the original text.
//!
//! - A block never crosses a line that is a heading or a list item: a line
//!   break between a heading and its paragraph is a hard boundary.
//! - Sentences come from Unicode sentence boundaries (UAX #29) inside each
//!   block, with line breaks inside a paragraph read as spaces, and are
//!   joined again after abbreviations ("U.S. Secretary", "Gen. Asim Munir",
//!   "Jan. 5") that the Unicode rules would split on.
//! - Every token keeps its span, a folded form (lowercase; curly quotes,
//!   dashes and apostrophes unified; diacritics removed) and a Snowball stem.
//!   The folded forms live in one buffer, one token after another separated
//!   by a space, so that matchers can search the folded text and map every
//!   hit back to tokens, and so to original bytes.

use std::collections::HashMap;
use std::ops::Range;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

use crate::span::Span;

/// What a block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Heading,
    Paragraph,
    ListItem,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub span: Span,
    pub kind: BlockKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub span: Span,
    /// Index of its block.
    pub block: usize,
    /// Its tokens: indices into [`Segmentation::tokens`].
    pub tokens: Range<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters (possibly with digits, inner apostrophes or periods: "U.S").
    Word,
    /// Starts with a digit: "300", "7.92", "2025", "1,200".
    Number,
    /// Anything else: punctuation, symbols.
    Punct,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub span: Span,
    pub kind: TokenKind,
    pub sentence: usize,
    /// Byte range of the folded form in [`Segmentation::folded_text`].
    folded: Range<u32>,
    /// Index into the stem table.
    stem: u32,
}

/// The segment layer of one document.
#[derive(Debug, Clone, Default)]
pub struct Segmentation {
    pub blocks: Vec<Block>,
    pub sentences: Vec<Sentence>,
    pub tokens: Vec<Token>,
    folded: String,
    stems: Vec<String>,
}

impl Segmentation {
    /// The folded form of token `i`.
    pub fn folded(&self, i: usize) -> &str {
        let r = &self.tokens[i].folded;
        &self.folded[r.start as usize..r.end as usize]
    }

    /// The Snowball (English) stem of token `i`'s folded form.
    pub fn stem(&self, i: usize) -> &str {
        &self.stems[self.tokens[i].stem as usize]
    }

    /// All folded forms, one after another, separated by one space.
    pub fn folded_text(&self) -> &str {
        &self.folded
    }

    /// Byte range of token `i`'s folded form in [`Self::folded_text`].
    pub fn folded_range(&self, i: usize) -> Range<usize> {
        let r = &self.tokens[i].folded;
        r.start as usize..r.end as usize
    }

    /// The token whose folded form starts at `byte` of the folded text.
    pub fn token_at_folded(&self, byte: usize) -> Option<usize> {
        self.tokens
            .binary_search_by(|t| (t.folded.start as usize).cmp(&byte))
            .ok()
    }

    /// The token whose folded form ends at `byte` of the folded text.
    pub fn token_ending_at_folded(&self, byte: usize) -> Option<usize> {
        self.tokens
            .binary_search_by(|t| (t.folded.end as usize).cmp(&byte))
            .ok()
    }

    /// The index of the sentence holding byte `byte`, if any.
    pub fn sentence_at(&self, byte: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.span.end <= byte);
        (i < self.sentences.len() && self.sentences[i].span.start <= byte).then_some(i)
    }

    /// The token index starting at byte `byte`, if any.
    pub fn token_starting_at(&self, byte: usize) -> Option<usize> {
        self.tokens
            .binary_search_by(|t| t.span.start.cmp(&byte))
            .ok()
    }
}

/// Abbreviations after which a period does not end a sentence.
const TITLE_ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Lt", "Col", "Maj", "Brig", "Capt", "Cmdr", "Adm",
    "Sgt", "Cpl", "Pvt", "Sen", "Rep", "Gov", "Amb", "Supt", "Insp", "Hon", "Rev", "St", "Mt",
    "Ft", "Jr", "Sr", "Messrs", "Gens", "Lt.Gen", "Maj.Gen", "No", "Nos", "vs", "Vol", "Art",
    "Sec", "Dept", "Corp", "Inc", "Ltd", "Co", "approx", "Fig", "Brig.Gen",
];
const MONTH_ABBREVIATIONS: &[&str] = &[
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
];
/// Words that usually start a sentence: after "U.S." they mean a real break.
const SENTENCE_STARTERS: &[&str] = &[
    "The",
    "A",
    "An",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "In",
    "On",
    "At",
    "But",
    "And",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "His",
    "Her",
    "Their",
    "Its",
    "Our",
    "As",
    "If",
    "When",
    "While",
    "After",
    "Before",
    "Since",
    "However",
    "Meanwhile",
    "Officials",
    "Some",
    "Many",
    "According",
    "For",
    "Yet",
    "Still",
    "Also",
    "Last",
    "Earlier",
    "Later",
    "Both",
    "Such",
    "What",
    "Why",
    "How",
    "Who",
    "No",
    "Not",
    "So",
    "Then",
    "Now",
    "One",
    "Two",
    "Three",
];

/// Splits text into blocks, sentences and tokens. Built once (it holds the
/// stemmer), used from any thread.
pub struct Segmenter {
    stemmer: Stemmer,
}

impl Default for Segmenter {
    fn default() -> Self {
        Segmenter::new()
    }
}

impl Segmenter {
    pub fn new() -> Segmenter {
        Segmenter {
            stemmer: Stemmer::create(Algorithm::English),
        }
    }

    pub fn segment(&self, text: &str) -> Segmentation {
        let mut seg = Segmentation {
            blocks: blocks(text),
            ..Segmentation::default()
        };
        let mut stem_ids: HashMap<String, u32> = HashMap::new();
        let mut scratch = String::new();
        for b in 0..seg.blocks.len() {
            let block = seg.blocks[b].span;
            let body = block.slice(text);
            // Line breaks inside a block read as spaces (same byte length).
            scratch.clear();
            scratch.push_str(body);
            let flat: String = if body.contains(['\n', '\r']) {
                scratch.replace(['\n', '\r'], " ")
            } else {
                std::mem::take(&mut scratch)
            };
            let mut pieces: Vec<Span> = Vec::new();
            for (off, s) in flat.split_sentence_bound_indices() {
                let start = block.start + off;
                let trimmed = s.trim_end();
                let lead = s.len() - s.trim_start().len();
                if trimmed.trim_start().is_empty() {
                    continue;
                }
                let span = Span::new(start + lead, start + trimmed.len());
                match pieces.last_mut() {
                    Some(prev) if joins(text, *prev, span) => prev.end = span.end,
                    _ => pieces.push(span),
                }
            }
            for span in pieces {
                let si = seg.sentences.len();
                let first = seg.tokens.len();
                tokenize(text, span, &mut |tspan, kind| {
                    self.push_token(text, &mut seg, &mut stem_ids, tspan, kind, si);
                });
                let last = seg.tokens.len();
                seg.sentences.push(Sentence {
                    span,
                    block: b,
                    tokens: first..last,
                });
            }
            if scratch.capacity() == 0 {
                scratch = flat;
            }
        }
        seg
    }

    fn push_token(
        &self,
        text: &str,
        seg: &mut Segmentation,
        stem_ids: &mut HashMap<String, u32>,
        span: Span,
        kind: TokenKind,
        sentence: usize,
    ) {
        if !seg.folded.is_empty() {
            seg.folded.push(' ');
        }
        let fstart = seg.folded.len();
        fold_into(span.slice(text), &mut seg.folded);
        let fend = seg.folded.len();
        let folded = &seg.folded[fstart..fend];
        let stem = match stem_ids.get(folded) {
            Some(&id) => id,
            None => {
                let stem = if kind == TokenKind::Word {
                    self.stemmer.stem(folded).into_owned()
                } else {
                    folded.to_string()
                };
                let id = seg.stems.len() as u32;
                seg.stems.push(stem);
                stem_ids.insert(folded.to_string(), id);
                id
            }
        };
        seg.tokens.push(Token {
            span,
            kind,
            sentence,
            folded: fstart as u32..fend as u32,
            stem,
        });
    }
}

/// True when the sentence break between `prev` and `next` follows an
/// abbreviation and should not be a break.
fn joins(text: &str, prev: Span, next: Span) -> bool {
    let p = prev.slice(text);
    let Some(before_dot) = p.strip_suffix('.') else {
        return false;
    };
    let last_word = before_dot
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '“' || c == '"')
        .next()
        .unwrap_or("");
    let next_text = next.slice(text);
    let next_word: &str = next_text
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    let next_starts_lower = next_text.chars().next().is_some_and(|c| c.is_lowercase());
    let next_starts_digit = next_text.chars().next().is_some_and(|c| c.is_ascii_digit());
    if next_starts_lower {
        return true;
    }
    if TITLE_ABBREVIATIONS.contains(&last_word) {
        return true;
    }
    if MONTH_ABBREVIATIONS.contains(&last_word) {
        return next_starts_digit;
    }
    // Single initials ("Michael J. Fox") and dotted acronyms ("U.S.", "U.N.").
    let is_initial = last_word.len() == 1 && last_word.chars().all(|c| c.is_uppercase());
    let is_dotted = last_word.len() >= 3
        && last_word.contains('.')
        && last_word
            .split('.')
            .all(|part| part.chars().count() <= 2 && part.chars().all(char::is_alphabetic));
    if is_initial || is_dotted {
        return !next_word.is_empty() && !SENTENCE_STARTERS.contains(&next_word);
    }
    false
}

/// Splits `text` into blocks: headings and list items are one line each;
/// other consecutive non-blank lines form a paragraph.
pub fn blocks(text: &str) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut para: Option<Span> = None;
    let mut pos = 0;
    let lines: Vec<Span> = {
        let mut v = Vec::new();
        for line in text.split_inclusive('\n') {
            let end = pos + line.trim_end_matches(['\n', '\r']).len();
            v.push(Span::new(pos, end));
            pos += line.len();
        }
        v
    };
    for (i, &line) in lines.iter().enumerate() {
        let raw = line.slice(text);
        let lead = raw.len() - raw.trim_start().len();
        let content = Span::new(line.start + lead, line.start + raw.trim_end().len());
        if content.is_empty() {
            if let Some(p) = para.take() {
                out.push(Block {
                    span: p,
                    kind: BlockKind::Paragraph,
                });
            }
            continue;
        }
        let next_blank = lines
            .get(i + 1)
            .is_none_or(|n| n.slice(text).trim().is_empty());
        let prev_blank = i == 0 || lines[i - 1].slice(text).trim().is_empty();
        // A paragraph line that does not close its sentence continues on the
        // next line (hard-wrapped text).
        let prev_open = para.is_some_and(|p| !closes_line(p.slice(text)));
        let kind = if prev_open {
            BlockKind::Paragraph
        } else {
            line_kind(content.slice(text), prev_blank, next_blank)
        };
        match kind {
            BlockKind::Paragraph => {
                para = Some(match para {
                    Some(p) => Span::new(p.start, content.end),
                    None => content,
                });
            }
            other => {
                if let Some(p) = para.take() {
                    out.push(Block {
                        span: p,
                        kind: BlockKind::Paragraph,
                    });
                }
                out.push(Block {
                    span: content,
                    kind: other,
                });
            }
        }
    }
    if let Some(p) = para.take() {
        out.push(Block {
            span: p,
            kind: BlockKind::Paragraph,
        });
    }
    out
}

/// Short words that do not end a heading ("The talks were held on").
const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "the", "of", "on", "in", "at", "to", "for", "and", "or", "but", "by", "with",
    "from", "as", "that", "which", "who", "was", "were", "is", "are", "be", "has", "had", "have",
    "its", "their", "his", "her", "said",
];

fn closes_line(line: &str) -> bool {
    let last = line.trim_end().chars().last().unwrap_or('.');
    matches!(
        last,
        '.' | '!' | '?' | ';' | ':' | '"' | '”' | '’' | '\'' | ')'
    )
}

fn line_kind(line: &str, prev_blank: bool, next_blank: bool) -> BlockKind {
    if line.starts_with('#') {
        return BlockKind::Heading;
    }
    let mut chars = line.chars();
    let first = chars.next().unwrap_or(' ');
    if matches!(first, '-' | '*' | '•' | '–' | '—' | '+')
        && chars.next().is_some_and(char::is_whitespace)
    {
        return BlockKind::ListItem;
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && digits <= 3 {
        let rest = &line[digits..];
        if rest.starts_with(". ") || rest.starts_with(") ") {
            return BlockKind::ListItem;
        }
    }
    // A heading: a short line without closing punctuation, standing on its
    // own before other text.
    let words: Vec<&str> = line.split_whitespace().collect();
    let closes = closes_line(line) || line.ends_with(',');
    let capitalized = first.is_uppercase() || first.is_ascii_digit();
    let last_word = words.last().map(|w| w.to_lowercase()).unwrap_or_default();
    let content: Vec<&&str> = words.iter().filter(|w| w.chars().count() > 3).collect();
    let caps = content
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .count();
    let title_like = caps * 10 >= content.len() * 6;
    if !closes
        && capitalized
        && words.len() <= 14
        && line.len() <= 120
        && !FUNCTION_WORDS.contains(&last_word.as_str())
        && (title_like || (prev_blank && next_blank))
    {
        return BlockKind::Heading;
    }
    BlockKind::Paragraph
}

/// Calls `emit` for every token of `span`: words (with a possessive "'s"
/// split off), numbers (with inner `,` and `.`), single punctuation marks.
fn tokenize(text: &str, span: Span, emit: &mut dyn FnMut(Span, TokenKind)) {
    let s = span.slice(text);
    for (off, w) in s.split_word_bound_indices() {
        let start = span.start + off;
        let first = match w.chars().next() {
            Some(c) => c,
            None => continue,
        };
        if first.is_whitespace() {
            continue;
        }
        if first.is_ascii_digit() {
            emit(Span::new(start, start + w.len()), TokenKind::Number);
        } else if first.is_alphanumeric() {
            // Split a possessive ending: "Pakistan’s" -> "Pakistan" + "’s".
            let cut = ["'s", "’s", "'S", "’S"]
                .iter()
                .find(|p| w.len() > p.len() && w.ends_with(*p))
                .map(|p| w.len() - p.len());
            match cut {
                Some(c) => {
                    emit(Span::new(start, start + c), TokenKind::Word);
                    emit(Span::new(start + c, start + w.len()), TokenKind::Punct);
                }
                None => emit(Span::new(start, start + w.len()), TokenKind::Word),
            }
        } else {
            // Split runs of symbols into single characters.
            for (i, c) in w.char_indices() {
                emit(
                    Span::new(start + i, start + i + c.len_utf8()),
                    TokenKind::Punct,
                );
            }
        }
    }
}

/// Appends the folded form of `s` to `out`: lowercase, quotes, dashes and
/// apostrophes unified, diacritics removed.
pub fn fold_into(s: &str, out: &mut String) {
    if s.is_ascii() {
        out.extend(s.bytes().map(|b| b.to_ascii_lowercase() as char));
        return;
    }
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '`' | '\u{00B4}' => {
                out.push('\'')
            }
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
            | '\u{00BB}' => out.push('"'),
            '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => {
                out.push('-')
            }
            '\u{00A0}' | '\u{2007}' | '\u{202F}' => out.push(' '),
            'ı' => out.push('i'),
            'ł' => out.push('l'),
            'ø' => out.push('o'),
            'đ' => out.push('d'),
            'ß' => out.push_str("ss"),
            c => out.extend(c.to_lowercase()),
        }
    }
}

/// The folded form of `s`.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

/// Tokenizes and folds a phrase the way document text is, joining the folded
/// tokens with single spaces: "Tehreek-e-Taliban" -> "tehreek - e - taliban".
/// Dictionary entries go through this so they match the folded text.
pub fn fold_phrase(phrase: &str) -> String {
    let mut out = String::new();
    tokenize(phrase, Span::new(0, phrase.len()), &mut |span, _| {
        if !out.is_empty() {
            out.push(' ');
        }
        fold_into(span.slice(phrase), &mut out);
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<&str> {
        let seg = Segmenter::new().segment(text);
        seg.sentences.iter().map(|s| s.span.slice(text)).collect()
    }

    #[test]
    fn abbreviations_do_not_split() {
        let text = "Prime Minister Shehbaz Sharif and U.S. Secretary of State Marco Rubio spoke. Gen. Asim Munir met Dr. Khan on Jan. 5. It rained.";
        assert_eq!(
            sentences(text),
            vec![
                "Prime Minister Shehbaz Sharif and U.S. Secretary of State Marco Rubio spoke.",
                "Gen. Asim Munir met Dr. Khan on Jan. 5.",
                "It rained."
            ]
        );
    }

    #[test]
    fn acronym_at_sentence_end_still_splits_before_a_starter() {
        let text = "Pakistan works with the U.S. The talks went well.";
        assert_eq!(
            sentences(text),
            vec!["Pakistan works with the U.S.", "The talks went well."]
        );
    }

    #[test]
    fn heading_is_its_own_block_and_sentence() {
        let text = "Rising Terrorism Threats in Pakistan\nIncreasing Terrorist Attacks\nPakistan has a persistent threat. It grows.\n";
        let seg = Segmenter::new().segment(text);
        let kinds: Vec<_> = seg.blocks.iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            vec![BlockKind::Heading, BlockKind::Heading, BlockKind::Paragraph]
        );
        assert_eq!(
            sentences(text),
            vec![
                "Rising Terrorism Threats in Pakistan",
                "Increasing Terrorist Attacks",
                "Pakistan has a persistent threat.",
                "It grows."
            ]
        );
    }

    #[test]
    fn wrapped_paragraph_lines_join() {
        let text = "The talks were held on\nMarch 5 in Islamabad. Both sides\nagreed.\n";
        assert_eq!(
            sentences(text),
            vec![
                "The talks were held on\nMarch 5 in Islamabad.",
                "Both sides\nagreed."
            ]
        );
    }

    #[test]
    fn list_items_are_blocks() {
        let text =
            "Key incidents:\n- 12 March 2024: three killed in Kech\n- 14 March: two injured\n";
        let seg = Segmenter::new().segment(text);
        let kinds: Vec<_> = seg.blocks.iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            vec![
                BlockKind::Paragraph,
                BlockKind::ListItem,
                BlockKind::ListItem
            ]
        );
    }

    #[test]
    fn tokens_fold_and_stem_with_spans() {
        let text = "Pakistan’s “Tehreek-e-Taliban” attacks in Quetta—Bahādur";
        let seg = Segmenter::new().segment(text);
        let toks: Vec<(&str, &str)> = (0..seg.tokens.len())
            .map(|i| (seg.tokens[i].span.slice(text), seg.folded(i)))
            .collect();
        assert_eq!(toks[0], ("Pakistan", "pakistan"));
        assert_eq!(toks[1], ("’s", "'s"));
        assert_eq!(toks[2], ("“", "\""));
        assert!(toks.contains(&("Bahādur", "bahadur")));
        assert!(toks.contains(&("—", "-")));
        let attacks = (0..seg.tokens.len())
            .find(|&i| seg.folded(i) == "attacks")
            .unwrap();
        assert_eq!(seg.stem(attacks), "attack");
        assert_eq!(fold_phrase("Tehreek-e-Taliban"), "tehreek - e - taliban");
        // The folded buffer maps back to tokens.
        let r = seg.folded_range(attacks);
        assert_eq!(seg.token_at_folded(r.start), Some(attacks));
        assert_eq!(&seg.folded_text()[r], "attacks");
    }

    #[test]
    fn numbers_keep_inner_punctuation() {
        let text = "From 7.92 points to 1,200 attacks.";
        let seg = Segmenter::new().segment(text);
        let nums: Vec<&str> = seg
            .tokens
            .iter()
            .filter(|t| t.kind == TokenKind::Number)
            .map(|t| t.span.slice(text))
            .collect();
        assert_eq!(nums, vec!["7.92", "1,200"]);
    }
}
