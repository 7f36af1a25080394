//! Segmentation: blocks (headings, paragraphs, list items), sentences and
//! tokens, each with its byte span in the original text.
//!
//! - A block never crosses a line that is a heading or a list item: a line
//!   break between a heading and its paragraph is a hard boundary.
//! - Sentences follow the Unicode sentence-boundary rules (UAX #29) inside
//!   each block, with line breaks inside a paragraph read as spaces, and are
//!   joined again after abbreviations ("U.S. Secretary", "Gen. Asim Munir",
//!   "Jan. 5") that the Unicode rules would split on.
//! - Every token keeps its span, a folded form (lowercase; curly quotes,
//!   dashes and apostrophes unified; diacritics removed) and a Snowball stem.
//!   The folded forms live in one buffer, one token after another separated
//!   by a space, so that matchers can search the folded text and map every
//!   hit back to tokens, and so to original bytes.
//!
//! Speed (the segmenter sees every byte of every batch): the sentence and
//! word splitters are hand-written to the UAX #29 rules English needs, with
//! ASCII fast paths, and read the original text in place (no copy); stems
//! are cached per worker thread across documents. `benches/pipeline.rs`
//! measures it (see the README for figures).

use std::cell::RefCell;
use std::ops::Range;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

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
    /// Byte range of the stem: in [`Segmentation::folded_text`] when the
    /// stem is the folded form itself (`stem_in_folded`), else in the stem
    /// buffer.
    stem: Range<u32>,
    stem_in_folded: bool,
}

/// The segment layer of one document.
#[derive(Debug, Clone, Default)]
pub struct Segmentation {
    pub blocks: Vec<Block>,
    pub sentences: Vec<Sentence>,
    pub tokens: Vec<Token>,
    folded: String,
    /// Stems that differ from their folded form, one after another.
    stems: String,
}

impl Segmentation {
    /// The folded form of token `i`.
    pub fn folded(&self, i: usize) -> &str {
        let r = &self.tokens[i].folded;
        &self.folded[r.start as usize..r.end as usize]
    }

    /// The Snowball (English) stem of token `i`'s folded form.
    pub fn stem(&self, i: usize) -> &str {
        let t = &self.tokens[i];
        let r = t.stem.start as usize..t.stem.end as usize;
        if t.stem_in_folded {
            &self.folded[r]
        } else {
            &self.stems[r]
        }
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
    "Sec", "Dept", "Corp", "Inc", "Ltd", "Co", "approx", "Fig", "Brig.Gen", "Rs", "Tk",
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

/// Entries a worker thread's stem cache holds before it starts over.
const STEM_CACHE_LIMIT: usize = 200_000;

thread_local! {
    /// Folded word -> stem, shared by every document a thread segments:
    /// Snowball stemming is the costliest per-token step, and a batch repeats
    /// the same words.
    static STEM_CACHE: RefCell<StemCache> = const { RefCell::new(StemCache::new()) };
}

/// A word -> stem memo: open addressing with linear probing over one arena
/// of keys and stems, looked up by `&str` without allocating. It only
/// memoizes a pure function, so it never changes what a document gives.
struct StemCache {
    /// Power-of-two table; a slot with `len == 0` is empty (keys are never
    /// empty).
    slots: Vec<Slot>,
    /// Keys and stems, one after another.
    arena: String,
    len: usize,
}

#[derive(Clone, Copy, Default)]
struct Slot {
    /// Bits of the key's hash, to skip most comparisons.
    tag: u32,
    key: u32,
    /// Where the stem is in the arena, or `NO_STEM` when the stem is the
    /// word itself.
    stem: u32,
    len: u16,
    stem_len: u16,
}

const NO_STEM: u32 = u32::MAX;

/// Longer words (rare) are stemmed without the cache.
const MAX_CACHED_WORD: usize = 64;

impl StemCache {
    const fn new() -> StemCache {
        StemCache {
            slots: Vec::new(),
            arena: String::new(),
            len: 0,
        }
    }

    fn clear(&mut self) {
        self.slots.clear();
        self.arena.clear();
        self.len = 0;
    }

    /// Appends the stem of `word` to `out` and returns true, or returns
    /// false when the stem is `word` itself.
    #[inline]
    fn stem_into(&mut self, stemmer: &Stemmer, word: &str, out: &mut String) -> bool {
        let stem = if word.len() > MAX_CACHED_WORD {
            let stemmed = stemmer.stem(word);
            return if stemmed == word {
                false
            } else {
                out.push_str(&stemmed);
                true
            };
        } else {
            self.stem(stemmer, word)
        };
        match stem {
            Some(stem) => {
                out.push_str(stem);
                true
            }
            None => false,
        }
    }

    /// The stem of `word` (at most `MAX_CACHED_WORD` bytes), or `None` when
    /// it is `word` itself.
    #[inline]
    fn stem<'c>(&'c mut self, stemmer: &Stemmer, word: &str) -> Option<&'c str> {
        if self.len >= STEM_CACHE_LIMIT || self.arena.len() > u32::MAX as usize / 2 {
            self.clear();
        }
        if self.slots.len() < 2 * (self.len + 1) {
            self.grow();
        }
        let key = word.as_bytes();
        let h = key_hash(key);
        let tag = (h >> 16) as u32;
        let mask = self.slots.len() - 1;
        let mut i = (h >> 40) as usize & mask;
        loop {
            let slot = self.slots[i];
            if slot.len == 0 {
                break;
            }
            if slot.tag == tag
                && slot.len as usize == key.len()
                && same_bytes(
                    &self.arena.as_bytes()
                        [slot.key as usize..slot.key as usize + usize::from(slot.len)],
                    key,
                )
            {
                return self.stem_of(slot);
            }
            i = (i + 1) & mask;
        }
        // A miss: stem, remember, answer.
        let stemmed = stemmer.stem(word);
        let k = self.arena.len() as u32;
        self.arena.push_str(word);
        let (stem, stem_len) = if stemmed == word {
            (NO_STEM, 0)
        } else {
            let at = self.arena.len() as u32;
            self.arena.push_str(&stemmed);
            (at, u16::try_from(stemmed.len()).unwrap_or(u16::MAX))
        };
        let slot = Slot {
            tag,
            key: k,
            len: key.len() as u16, // at most MAX_CACHED_WORD
            stem,
            stem_len,
        };
        self.slots[i] = slot;
        self.len += 1;
        self.stem_of(slot)
    }

    fn stem_of(&self, slot: Slot) -> Option<&str> {
        (slot.stem != NO_STEM).then(|| {
            &self.arena[slot.stem as usize..slot.stem as usize + usize::from(slot.stem_len)]
        })
    }

    /// Doubles the table (at least 4096 slots) and re-inserts every entry.
    fn grow(&mut self) {
        let n = (self.slots.len() * 2).max(4096);
        let old = std::mem::replace(&mut self.slots, vec![Slot::default(); n]);
        let mask = n - 1;
        for slot in old.into_iter().filter(|s| s.len != 0) {
            let key = &self.arena.as_bytes()
                [slot.key as usize..slot.key as usize + usize::from(slot.len)];
            let mut i = (key_hash(key) >> 40) as usize & mask;
            while self.slots[i].len != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = slot;
        }
    }
}

/// A hasher for short string keys (words), with [`key_hash`]; the keys come
/// from documents and the rule pack, so flooding is no concern.
#[derive(Default, Clone, Copy)]
pub(crate) struct BuildWordHasher;

#[derive(Default)]
pub(crate) struct WordHasher(u64);

impl std::hash::Hasher for WordHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = (self.0.rotate_left(23) ^ key_hash(bytes)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

impl std::hash::BuildHasher for BuildWordHasher {
    type Hasher = WordHasher;
    fn build_hasher(&self) -> WordHasher {
        WordHasher(0)
    }
}

/// The first two bytes of a set of words, a bit per pair, and per first
/// byte a bit per length (up to 63): a word whose pair or length is absent
/// is not in the set, told before any hashing ("in" and "into" share
/// "india"'s pair, not its length).
#[derive(Debug, Default)]
pub(crate) struct FirstPairs {
    pairs: Vec<u64>,
    lengths: Vec<u64>,
}

impl FirstPairs {
    pub(crate) fn of<W: AsRef<str>>(words: impl IntoIterator<Item = W>) -> FirstPairs {
        let mut pairs = vec![0u64; 1024];
        let mut lengths = vec![0u64; 256];
        for w in words {
            let w = w.as_ref();
            let i = Self::pair(w);
            pairs[i >> 6] |= 1 << (i & 63);
            lengths[i >> 8] |= 1 << w.len().min(63);
        }
        FirstPairs { pairs, lengths }
    }

    /// Whether `w` may be one of the words (false: it is not).
    pub(crate) fn may_hold(&self, w: &str) -> bool {
        let i = Self::pair(w);
        self.pairs
            .get(i >> 6)
            .is_some_and(|bits| bits >> (i & 63) & 1 == 1)
            && self
                .lengths
                .get(i >> 8)
                .is_some_and(|bits| bits >> w.len().min(63) & 1 == 1)
    }

    /// A word's first two bytes as one index (the second 0 for a one-byte
    /// word).
    fn pair(w: &str) -> usize {
        let b = w.as_bytes();
        (b.first().copied().unwrap_or(0) as usize) << 8 | b.get(1).copied().unwrap_or(0) as usize
    }
}

#[inline(always)]
fn load8(b: &[u8], i: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[i..i + 8]);
    u64::from_le_bytes(w)
}

#[inline(always)]
fn load4(b: &[u8], i: usize) -> u64 {
    let mut w = [0u8; 4];
    w.copy_from_slice(&b[i..i + 4]);
    u64::from(u32::from_le_bytes(w))
}

/// A multiply-mix hash of a short key with a few word loads (overlapping at
/// the ends) instead of a byte loop.
#[inline(always)]
fn key_hash(b: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let n = b.len();
    let mut h = (n as u64).wrapping_mul(K);
    if n >= 8 {
        let mut i = 0;
        while i + 8 < n {
            h = (h ^ load8(b, i)).wrapping_mul(K).rotate_left(31);
            i += 8;
        }
        h = (h ^ load8(b, n - 8)).wrapping_mul(K);
    } else if n >= 4 {
        h = (h ^ (load4(b, 0) | load4(b, n - 4) << 32)).wrapping_mul(K);
    } else if n > 0 {
        let x = u64::from(b[0]) | u64::from(b[n / 2]) << 8 | u64::from(b[n - 1]) << 16;
        h = (h ^ x).wrapping_mul(K);
    }
    (h ^ (h >> 29)).wrapping_mul(K)
}

/// `a == b` for slices of equal length, with word loads for short ones.
#[inline(always)]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if (8..=16).contains(&n) {
        load8(a, 0) == load8(b, 0) && load8(a, n - 8) == load8(b, n - 8)
    } else if (4..8).contains(&n) {
        load4(a, 0) == load4(b, 0) && load4(a, n - 4) == load4(b, n - 4)
    } else {
        a == b
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
        // Rough sizes for typical English prose: a token every ~5.5 bytes.
        seg.tokens.reserve(text.len() / 5);
        seg.stems.reserve(text.len() / 16);
        seg.folded.reserve(text.len() + text.len() / 8);
        seg.sentences.reserve(text.len() / 120);
        let mut pieces: Vec<Span> = Vec::new();
        STEM_CACHE.with(|cache| {
            let mut cache = cache.borrow_mut();
            for b in 0..seg.blocks.len() {
                let block = seg.blocks[b].span;
                pieces.clear();
                split_sentences(text, block, &mut |span| match pieces.last_mut() {
                    Some(prev) if joins(text, *prev, span) => prev.end = span.end,
                    _ => pieces.push(span),
                });
                for &span in &pieces {
                    let si = seg.sentences.len();
                    let first = seg.tokens.len();
                    tokenize(text, span, &mut |tspan, kind| {
                        self.push_token(text, &mut seg, &mut cache, tspan, kind, si);
                    });
                    let last = seg.tokens.len();
                    seg.sentences.push(Sentence {
                        span,
                        block: b,
                        tokens: first..last,
                    });
                }
            }
        });
        seg
    }

    fn push_token(
        &self,
        text: &str,
        seg: &mut Segmentation,
        cache: &mut StemCache,
        span: Span,
        kind: TokenKind,
        sentence: usize,
    ) {
        if !seg.folded.is_empty() {
            seg.folded.push(' ');
        }
        let fstart = seg.folded.len();
        let raw = span.slice(text);
        if raw.is_ascii() {
            seg.folded.push_str(raw);
            seg.folded[fstart..].make_ascii_lowercase();
        } else {
            fold_into(raw, &mut seg.folded);
        }
        let fend = seg.folded.len();
        let folded = &seg.folded[fstart..fend];
        // Snowball's English stemmer leaves words of one or two letters as
        // they are ("of", "in", "us"): no lookup for the commonest tokens.
        let s = seg.stems.len();
        let own = kind == TokenKind::Word
            && folded.len() > 2
            && cache.stem_into(&self.stemmer, folded, &mut seg.stems);
        let (stem, stem_in_folded) = if own {
            (s as u32..seg.stems.len() as u32, false)
        } else {
            (fstart as u32..fend as u32, true)
        };
        seg.tokens.push(Token {
            span,
            kind,
            sentence,
            folded: fstart as u32..fend as u32,
            stem,
            stem_in_folded,
        });
    }
}

/// Sentence terminators: `.` (which abbreviations and decimals also use) and
/// `!`, `?`.
fn is_terminator(c: char) -> bool {
    matches!(
        c,
        '.' | '!' | '?' | '\u{203C}' | '\u{203D}' | '\u{2047}' | '\u{2048}' | '\u{2049}'
    )
}

/// Closing punctuation that stays with the sentence it ends.
fn is_close(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | ')' | ']' | '}' | '\u{2019}' | '\u{201D}' | '\u{00BB}' | '\u{203A}'
    )
}

/// After a terminator, these continue the sentence ("e.g., the").
fn is_continue(c: char) -> bool {
    matches!(c, ',' | ';' | ':' | '-' | '\u{2013}' | '\u{2014}') || is_terminator(c)
}

/// A wire dateline opening a paragraph: a place in capitals (or a
/// capitalized place with a date), optionally a country, a date or the
/// agency in brackets, then a dash ("SRINAGAR, Oct 3 (Reuters) - ",
/// "QUETTA, Pakistan, March 12 (Wire) — "). It is a sentence of its own:
/// its place and date are the report's, not the first sentence's.
fn dateline_end(body: &str) -> Option<usize> {
    use std::sync::LazyLock;
    static DATELINE: LazyLock<Option<regex::Regex>> = LazyLock::new(|| {
        let month = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]{0,6}\.?";
        let date = format!(r"(?:{month}\s+\d{{1,2}}|\d{{1,2}}\s+{month})(?:,?\s+\d{{4}})?");
        let caps = r"[A-Z][A-Z'.-]+(?:\s[A-Z][A-Z'.-]+){0,3}";
        let name = r"[A-Z][A-Za-z'.-]+(?:\s[A-Z][A-Za-z'.-]+){0,3}";
        let agency = r"\([A-Z][A-Za-z .&/-]{0,30}\)";
        regex::Regex::new(&format!(
            r"^(?:{caps}(?:,\s+{name})?(?:,\s+{date})?(?:\s*{agency})?|{name}(?:,\s+{name})?,\s+{date}(?:\s*{agency})?|{name}\s*{agency})\s*(?:-{{1,2}}|—|–)\s+"
        ))
        .ok()
    });
    let m = DATELINE.as_ref()?.find(body.get(..body.len().min(120))?)?;
    // Capitals alone ("ISPR — the military's wing — said") are a subject,
    // not a dateline: a date or an agency must follow the place.
    let head = &body[..m.end()];
    let dated = head.contains(',') || head.contains('(');
    (dated && m.end() < body.len()).then_some(m.end())
}

/// Calls `emit` with each sentence of `block` (trimmed, never empty), by the
/// rules of Unicode sentence boundaries (UAX #29, SB6-SB11) as they apply to
/// English prose, with line breaks read as spaces:
///
/// - a break follows `.`, `!` or `?` (a run of them), closing quotes and
///   brackets, and spaces;
/// - no break when the `.` is followed directly by a letter or digit ("U.S",
///   "7.92"), when the next word after a `.` starts in lowercase, or when a
///   comma, colon, semicolon or dash follows.
fn split_sentences(text: &str, block: Span, emit: &mut impl FnMut(Span)) {
    let body = block.slice(text);
    let bytes = body.as_bytes();
    let n = bytes.len();
    let mut start = 0;
    let mut i = 0;
    if let Some(end) = dateline_end(body) {
        emit_trimmed(body, block.start, 0, end, emit);
        start = end;
        i = end;
    }
    while i < n {
        // Jump to the next possible terminator (every non-ASCII one starts
        // with byte 0xE2).
        match next_terminator(bytes, i) {
            Some(p) => i = p,
            None => break,
        }
        let Some(c) = body.get(i..).and_then(|r| r.chars().next()) else {
            break;
        };
        let len = c.len_utf8();
        if !is_terminator(c) {
            i += len;
            continue;
        }
        // The run of terminators.
        let mut j = i + len;
        let mut only_dots = c == '.';
        while let Some(d) = body[j..].chars().next().filter(|&d| is_terminator(d)) {
            only_dots &= d == '.';
            j += d.len_utf8();
        }
        let next = body[j..].chars().next();
        if only_dots && next.is_some_and(char::is_alphanumeric) {
            i = j;
            continue;
        }
        // Closing punctuation, then spaces.
        let mut k = j;
        while let Some(d) = body[k..].chars().next().filter(|&d| is_close(d)) {
            k += d.len_utf8();
        }
        let end = k;
        while let Some(d) = body[k..].chars().next().filter(|d| d.is_whitespace()) {
            k += d.len_utf8();
        }
        if k >= n {
            break;
        }
        let after = body[k..].chars().next().unwrap_or(' ');
        let mut breaks = !is_continue(after);
        if breaks && only_dots {
            // SB8: no break if the next letter is lowercase.
            let letter = body[k..]
                .chars()
                .find(|&d| d.is_alphabetic() || is_terminator(d));
            breaks = !letter.is_some_and(char::is_lowercase);
        }
        if breaks {
            emit_trimmed(body, block.start, start, end, emit);
            start = k;
        }
        i = k.max(j);
    }
    emit_trimmed(body, block.start, start, n, emit);
}

/// The first byte at or after `from` that may start a sentence terminator:
/// `.`, `!`, `?` or 0xE2 (every non-ASCII terminator starts with it),
/// looking at eight bytes at a time.
#[inline]
fn next_terminator(bytes: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let is_candidate = |b: u8| matches!(b, b'.' | b'!' | b'?' | 0xE2);
    // Nonzero when some byte of `v` is zero.
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let mut i = from;
    while i + 8 <= bytes.len() {
        let v = load8(bytes, i);
        let maybe = zero(v ^ (ONES * u64::from(b'.')))
            | zero(v ^ (ONES * u64::from(b'!')))
            | zero(v ^ (ONES * u64::from(b'?')))
            | (v & HIGH);
        if maybe != 0 {
            if let Some(p) = bytes[i..i + 8].iter().position(|&b| is_candidate(b)) {
                return Some(i + p);
            }
        }
        i += 8;
    }
    bytes[i..]
        .iter()
        .position(|&b| is_candidate(b))
        .map(|p| i + p)
}

#[inline]
fn emit_trimmed(body: &str, base: usize, start: usize, end: usize, emit: &mut impl FnMut(Span)) {
    let s = &body[start..end];
    let lead = s.len() - s.trim_start().len();
    let trimmed = s.trim_end().len();
    if trimmed > lead {
        emit(Span::new(base + start + lead, base + start + trimmed));
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
    // "Pakistan-U.S. Counterterrorism Dialogue": the acronym after a hyphen.
    let dotted = last_word
        .rsplit(['-', '\u{2013}', '/'])
        .next()
        .unwrap_or("");
    let is_dotted = dotted.len() >= 3
        && dotted.contains('.')
        && dotted
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
        // A line of only whitespace is blank (and must not make an inverted span).
        if lead == raw.len() {
            if let Some(p) = para.take() {
                out.push(Block {
                    span: p,
                    kind: BlockKind::Paragraph,
                });
            }
            continue;
        }
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
    if line.len() > 120 || closes_line(line) || line.ends_with(',') {
        return BlockKind::Paragraph;
    }
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

/// How a character takes part in a word (the word-boundary classes of
/// UAX #29 that matter for English text).
#[derive(Clone, Copy, PartialEq, Eq)]
enum WordClass {
    Letter,
    Digit,
    /// `_`, joins letters and digits on both sides.
    Connector,
    /// `:` and `·`: inside a word between letters.
    MidLetter,
    /// `.`, `'`, `’`: between letters or between digits.
    MidNumLet,
    /// `,` and `;`: between digits.
    MidNum,
    /// Combining marks and format characters: part of what precedes them.
    Extend,
    Space,
    Other,
}

/// Classes of the ASCII characters.
const ASCII_CLASS: [WordClass; 128] = {
    let mut t = [WordClass::Other; 128];
    let mut i = 0;
    while i < 128 {
        t[i] = ascii_class(i as u8 as char);
        i += 1;
    }
    t
};

const fn ascii_class(c: char) -> WordClass {
    match c {
        'a'..='z' | 'A'..='Z' => WordClass::Letter,
        '0'..='9' => WordClass::Digit,
        '_' => WordClass::Connector,
        ':' => WordClass::MidLetter,
        '.' | '\'' => WordClass::MidNumLet,
        ',' | ';' => WordClass::MidNum,
        ' ' | '\t' | '\n' | '\r' | '\x0C' => WordClass::Space,
        _ => WordClass::Other,
    }
}

fn word_class(c: char) -> WordClass {
    if c.is_ascii() {
        return match c {
            'a'..='z' | 'A'..='Z' => WordClass::Letter,
            '0'..='9' => WordClass::Digit,
            '_' => WordClass::Connector,
            ':' => WordClass::MidLetter,
            '.' | '\'' => WordClass::MidNumLet,
            ',' | ';' => WordClass::MidNum,
            c if c.is_ascii_whitespace() => WordClass::Space,
            _ => WordClass::Other,
        };
    }
    match c {
        '\u{2018}' | '\u{2019}' | '\u{2024}' | '\u{FE52}' | '\u{FF07}' | '\u{FF0E}' => {
            WordClass::MidNumLet
        }
        '\u{00B7}' | '\u{0387}' | '\u{05F4}' | '\u{2027}' | '\u{FE13}' | '\u{FE55}'
        | '\u{FF1A}' => WordClass::MidLetter,
        '\u{037E}' | '\u{0589}' | '\u{060C}' | '\u{060D}' | '\u{066C}' | '\u{2044}'
        | '\u{FE10}' | '\u{FE14}' | '\u{FE50}' | '\u{FE54}' | '\u{FF0C}' | '\u{FF1B}' => {
            WordClass::MidNum
        }
        '\u{202F}' | '\u{203F}' | '\u{2040}' | '\u{2054}' | '\u{FE33}' | '\u{FE34}'
        | '\u{FF3F}' => WordClass::Connector,
        '\u{00AD}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => WordClass::Extend,
        c if is_combining_mark(c) => WordClass::Extend,
        c if c.is_whitespace() => WordClass::Space,
        c if c.is_alphabetic() => WordClass::Letter,
        c if c.is_numeric() => WordClass::Digit,
        _ => WordClass::Other,
    }
}

/// The character at byte `i` of `s` and its class.
#[inline(always)]
fn class_at(s: &str, i: usize) -> Option<(char, WordClass)> {
    let b = *s.as_bytes().get(i)?;
    if b < 0x80 {
        return Some((b as char, ASCII_CLASS[b as usize]));
    }
    let c = s[i..].chars().next()?;
    Some((c, word_class(c)))
}

/// Calls `emit` for every token of `span`: words (with a possessive "'s"
/// split off), numbers (with inner `,` and `.`), single punctuation marks.
///
/// Word boundaries follow UAX #29 (WB4-WB13b) for the classes English text
/// uses: letters and digits join, `.`/`'`/`:` join two letters ("U.S",
/// "don't"), `,`/`.`/`;` join two digits ("1,200", "7.92"), combining marks
/// stay with what precedes them. Whitespace is skipped; every other
/// character is a token of its own.
fn tokenize(text: &str, span: Span, emit: &mut impl FnMut(Span, TokenKind)) {
    let s = span.slice(text);
    let n = s.len();
    let mut i = 0;
    // Skip trailing Extend characters after `i`.
    let skip_extend = |mut j: usize| {
        while let Some((c, WordClass::Extend)) = class_at(s, j) {
            j += c.len_utf8();
        }
        j
    };
    while i < n {
        let Some((c, class)) = class_at(s, i) else {
            break;
        };
        match class {
            WordClass::Space => {
                i = skip_extend(i + c.len_utf8());
            }
            WordClass::Letter | WordClass::Digit | WordClass::Connector => {
                let start = i;
                let mut prev = class;
                let mut j = skip_extend(i + c.len_utf8());
                let bytes = s.as_bytes();
                loop {
                    // Fast path: a run of ASCII letters and digits.
                    while let Some(&b) = bytes.get(j) {
                        if b >= 0x80 {
                            break;
                        }
                        let bc = ASCII_CLASS[b as usize];
                        if !matches!(
                            bc,
                            WordClass::Letter | WordClass::Digit | WordClass::Connector
                        ) {
                            break;
                        }
                        prev = bc;
                        j += 1;
                    }
                    let Some((d, dc)) = class_at(s, j) else {
                        break;
                    };
                    match dc {
                        WordClass::Letter | WordClass::Digit | WordClass::Connector => {
                            prev = dc;
                            j = skip_extend(j + d.len_utf8());
                        }
                        WordClass::MidLetter | WordClass::MidNumLet | WordClass::MidNum => {
                            let after = skip_extend(j + d.len_utf8());
                            let Some((e, ec)) = class_at(s, after) else {
                                break;
                            };
                            let joins = matches!(
                                (prev, dc, ec),
                                (
                                    WordClass::Letter,
                                    WordClass::MidLetter | WordClass::MidNumLet,
                                    WordClass::Letter,
                                ) | (
                                    WordClass::Digit,
                                    WordClass::MidNum | WordClass::MidNumLet,
                                    WordClass::Digit,
                                )
                            );
                            if !joins {
                                break;
                            }
                            prev = ec;
                            j = skip_extend(after + e.len_utf8());
                        }
                        _ => break,
                    }
                }
                let w = &s[start..j];
                let at = span.start + start;
                if c.is_ascii_digit() {
                    emit(Span::new(at, at + w.len()), TokenKind::Number);
                } else if c.is_alphanumeric() {
                    // Split a possessive ending: "Pakistan’s" -> "Pakistan" + "’s".
                    let cut = possessive_cut(w.as_bytes());
                    match cut {
                        Some(k) => {
                            emit(Span::new(at, at + k), TokenKind::Word);
                            emit(Span::new(at + k, at + w.len()), TokenKind::Punct);
                        }
                        None => emit(Span::new(at, at + w.len()), TokenKind::Word),
                    }
                } else {
                    for (k, ch) in w.char_indices() {
                        emit(Span::new(at + k, at + k + ch.len_utf8()), TokenKind::Punct);
                    }
                }
                i = j;
            }
            _ => {
                // One token per character (a following combining mark is a
                // token of its own too).
                let at = span.start + i;
                emit(Span::new(at, at + c.len_utf8()), TokenKind::Punct);
                i += c.len_utf8();
            }
        }
    }
}

/// Where a possessive ending ("'s", "’s", either case) starts in word `w`,
/// when `w` has more than the ending.
#[inline(always)]
fn possessive_cut(w: &[u8]) -> Option<usize> {
    let n = w.len();
    if n < 3 || !matches!(w[n - 1], b's' | b'S') {
        return None;
    }
    if w[n - 2] == b'\'' {
        return Some(n - 2);
    }
    // ’ is E2 80 99.
    // `then`, not `then_some`: the offset must not be computed (and
    // underflow) for words shorter than the ending.
    (n > 4 && w[n - 4..n - 1] == [0xE2, 0x80, 0x99]).then(|| n - 4)
}

/// Appends the folded form of `s` to `out`: lowercase, quotes, dashes and
/// apostrophes unified, diacritics removed.
pub fn fold_into(s: &str, out: &mut String) {
    if s.is_ascii() {
        let start = out.len();
        out.push_str(s);
        out[start..].make_ascii_lowercase();
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
    fn hyphenated_acronym_does_not_split_seed_dialogue() {
        // From the seed: "the Pakistan-U.S. Counterterrorism Dialogue that took place".
        let text = "It follows the Pakistan-U.S. Counterterrorism Dialogue that took place in May 2024. These commitments matter.";
        assert_eq!(
            sentences(text),
            vec![
                "It follows the Pakistan-U.S. Counterterrorism Dialogue that took place in May 2024.",
                "These commitments matter."
            ]
        );
    }

    #[test]
    fn terminators_quotes_and_lowercase_continuations() {
        let text = "He said “it works.” Then he left! Why? e.g. this is one. Ratio was 3.5 vs. 2. (Done.) Next";
        assert_eq!(
            sentences(text),
            vec![
                "He said “it works.”",
                "Then he left!",
                "Why?",
                "e.g. this is one.",
                "Ratio was 3.5 vs. 2.",
                "(Done.)",
                "Next"
            ]
        );
    }

    #[test]
    fn words_follow_unicode_word_boundaries() {
        let text = "U.S. don't 1,200.5 a:b 3rd F-16 x_y naïve Bahādur 7.92. A, b";
        let seg = Segmenter::new().segment(text);
        let toks: Vec<&str> = seg.tokens.iter().map(|t| t.span.slice(text)).collect();
        assert_eq!(
            toks,
            vec![
                "U.S", ".", "don't", "1,200.5", "a:b", "3rd", "F", "-", "16", "x_y", "naïve",
                "Bahādur", "7.92", ".", "A", ",", "b"
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
    fn whitespace_only_line_is_blank_not_an_inverted_span() {
        // Found by tests/props.rs: "  \n" made a block with start > end.
        let text = "One.\n \t \nTwo.";
        let seg = Segmenter::new().segment(text);
        assert_eq!(seg.blocks.len(), 2);
        assert!(seg.blocks.iter().all(|b| b.span.start < b.span.end));
        assert_eq!(sentences(text), vec!["One.", "Two."]);
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
