//! Byte ranges into a document's original text.

use std::ops::Range;

/// A half-open byte range `[start, end)` into the original text of a
/// [`crate::Document`]. It is `Copy` and slices the text directly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end);
        Span { start, end }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    /// The text this span covers.
    pub fn slice<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }

    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// The smallest span covering both.
    pub fn cover(&self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// Whether `s` overlaps one of the non-overlapping spans in `kept` (start ->
/// end), as a greedy pass that keeps the best candidates first builds them:
/// two look-ups.
pub fn overlaps_kept(kept: &std::collections::BTreeMap<usize, usize>, s: Span) -> bool {
    kept.range(..=s.start)
        .next_back()
        .is_some_and(|(_, &end)| end > s.start)
        || kept.range(s.start..s.end).next().is_some()
}

/// Converts byte offsets into Unicode code-point offsets, computed once per
/// document at output time.
///
/// It records only the multi-byte characters (few in English text): the code
/// point offset of a byte offset is the byte offset minus the extra bytes of
/// the multi-byte characters before it.
pub struct CharIndex {
    /// For each multi-byte character: the byte where it ends, and the extra
    /// bytes (beyond one per character) up to and including it.
    multi: Vec<(usize, usize)>,
}

/// The index of the first byte of `b` that is not ASCII; skips ASCII runs a
/// block at a time (the common case in English text).
fn first_non_ascii(b: &[u8]) -> Option<usize> {
    let mut i = 0;
    while i + 64 <= b.len() && b[i..i + 64].is_ascii() {
        i += 64;
    }
    b[i..].iter().position(|&c| c >= 0x80).map(|p| i + p)
}

impl CharIndex {
    pub fn new(text: &str) -> CharIndex {
        let bytes = text.as_bytes();
        let mut multi = Vec::new();
        let mut extra = 0;
        let mut i = 0;
        while let Some(p) = first_non_ascii(&bytes[i..]) {
            let start = i + p;
            let len = text[start..].chars().next().map_or(1, char::len_utf8);
            extra += len - 1;
            multi.push((start + len, extra));
            i = start + len;
        }
        CharIndex { multi }
    }

    /// The code-point offset of byte offset `byte` (a character boundary).
    pub fn chars(&self, byte: usize) -> usize {
        let k = self.multi.partition_point(|&(end, _)| end <= byte);
        match k {
            0 => byte,
            _ => byte - self.multi[k - 1].1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_index_counts_code_points() {
        let text = "Naqvi’s “phenomenal” é";
        let idx = CharIndex::new(text);
        for (byte, _) in text.char_indices() {
            assert_eq!(idx.chars(byte), text[..byte].chars().count());
        }
        assert_eq!(idx.chars(text.len()), text.chars().count());
    }

    #[test]
    fn ascii_is_identity() {
        let idx = CharIndex::new("abc");
        assert_eq!(idx.chars(2), 2);
    }
}
