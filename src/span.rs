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

/// Converts byte offsets into Unicode code-point offsets, computed once per
/// document at output time.
pub struct CharIndex {
    /// `None` when the text is ASCII and bytes equal code points.
    table: Option<Vec<u32>>,
}

impl CharIndex {
    pub fn new(text: &str) -> CharIndex {
        if text.is_ascii() {
            return CharIndex { table: None };
        }
        // Every byte maps to the index of the character it belongs to: the
        // number of character-starting bytes up to and including it, minus one.
        let mut table = Vec::with_capacity(text.len() + 1);
        let mut starts = 0u32;
        for &b in text.as_bytes() {
            starts += u32::from((b as i8) >= -0x40);
            table.push(starts.wrapping_sub(1));
        }
        table.push(starts);
        CharIndex { table: Some(table) }
    }

    /// The code-point offset of byte offset `byte`.
    pub fn chars(&self, byte: usize) -> usize {
        match &self.table {
            None => byte,
            Some(t) => t[byte] as usize,
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
        let byte = text.find('é').unwrap();
        assert_eq!(idx.chars(byte), text[..byte].chars().count());
        assert_eq!(idx.chars(text.len()), text.chars().count());
    }

    #[test]
    fn ascii_is_identity() {
        let idx = CharIndex::new("abc");
        assert_eq!(idx.chars(2), 2);
    }
}
